using System.Net.Http.Json;
using MimeKit;
using VagaVaraDigital.Tests.Email;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Webcasts;

/// <summary>The webcast flow through the real e-mail sender to an SMTP sink: what the invitee actually receives.</summary>
public sealed class WebcastMailTests : WebcastTest
{
    SmtpSink _sink = null!;

    [SetUp]
    public async Task StartSinkAsync() => _sink = await SmtpSink.StartAsync();

    [TearDown]
    public async Task StopSinkAsync() => await _sink.DisposeAsync();

    static string CalendarOf(MimeMessage m)
    {
        var part = m.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "text/calendar");
        using var s = new MemoryStream();
        part.Content!.DecodeTo(s);
        return System.Text.Encoding.UTF8.GetString(s.ToArray());
    }

    [Test]
    public async Task Invitation_confirmation_with_ics_move_and_cancellation_reach_the_invitee()
    {
        var staff = Staff();
        var id = (await CreateScheduledAsync(staff)).GetProperty("id").GetGuid();
        await AddInviteeAsync("anna@uppsala.se");
        await InviteAsync(staff, id);
        var token = await TokenOfAsync(id, "anna@uppsala.se");
        var harness = new SenderHarness(_sink);
        await harness.DrainAsync();
        var invitation = _sink.Messages.Single();
        Assert.That(invitation.TextBody, Does.Contain($"/r/{token}"));

        using (var r = await AnswerByFormAsync(Public(), token, "accept")) Assert.That((int)r.StatusCode, Is.EqualTo(303));
        await harness.DrainAsync();
        var confirmation = _sink.Messages.Last();
        var ics = CalendarOf(confirmation);
        Assert.That(ics, Does.Contain("METHOD:PUBLISH").And.Contain("SEQUENCE:1").And.Contain("BEGIN:VTIMEZONE"));

        using (var moved = await staff.PostAsJsonAsync($"api/webcasts/{id}/reschedule", new { startsAt = LocalInDays(21, 14) }))
            Assert.That((int)moved.StatusCode, Is.EqualTo(200));
        await harness.DrainAsync();
        var move = _sink.Messages.Last();
        Assert.That(CalendarOf(move), Does.Contain("SEQUENCE:2").And.Contain("TZID=Europe/Stockholm:").And.Contain("T140000"));
        Assert.That(move.Subject, Is.Not.EqualTo(confirmation.Subject));

        Assert.That((await EmailData.OutboxAsync(Database, "reminder")).Count(r => r.Status == "pending"), Is.EqualTo(3),
            "the accepted invitee's three reminders for the new time");
        using (var cancelled = await staff.PostAsync($"api/webcasts/{id}/cancel", null)) Assert.That((int)cancelled.StatusCode, Is.EqualTo(200));
        Assert.That((await EmailData.OutboxAsync(Database, "reminder")).Select(r => r.Status), Has.None.EqualTo("pending"),
            "cancelling the webcast drops its pending reminders");
        await harness.DrainAsync();
        var cancellation = _sink.Messages.Last();
        Assert.That(CalendarOf(cancellation), Does.Contain("METHOD:CANCEL").And.Contain("SEQUENCE:3"));
        Assert.That(_sink.Messages, Has.Count.EqualTo(4), "invitation, confirmation, move, cancellation — and no reminder");
    }
}
