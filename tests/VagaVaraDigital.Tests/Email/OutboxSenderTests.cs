using System.Net;
using System.Net.Http.Json;
using Dapper;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using SmtpServer.Protocol;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

public sealed class OutboxSenderTests : ApiTest
{
    const string A = TwoTenants.A, B = TwoTenants.B;
    SmtpSink _sink = null!;

    [SetUp]
    public async Task StartSinkAsync() => _sink = await SmtpSink.StartAsync();

    [TearDown]
    public async Task StopSinkAsync() => await _sink.DisposeAsync();

    static async Task SetSenderAsync(string tenant, string senderName, string? replyTo)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        await conn.ExecuteAsync("UPDATE tenant_settings SET sender_name = @senderName, reply_to_email = @replyTo WHERE tenant_id = @tenant",
            new { tenant, senderName, replyTo });
    }

    static Task<bool> EnqueueAsync(string tenant, OutboxMessage message) =>
        EmailData.InTenantAsync(tenant, uow => Outbox.EnqueueAsync(uow, message));

    [Test]
    public async Task Due_messages_of_every_tenant_go_out_over_SMTP_with_the_countys_sender_and_one_click_unsubscribe()
    {
        await SetSenderAsync(A, "Länsstyrelsen Uppsala", "kontakt@lansstyrelsen-uppsala.example");
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5), title: "Digitalisering <i praktiken>");
        var (_, invitation, token) = await EmailData.InvitationAsync(Database, A, webcast, "sent", "anna@kommun.example");
        var webcastB = await EmailData.WebcastAsync(Database, B, DateTime.UtcNow.AddDays(5));
        var (_, invitationB, _) = await EmailData.InvitationAsync(Database, B, webcastB, "sent", "bo@kommun.example");

        await EnqueueAsync(A, new OutboxMessage("invitation", $"{invitation}:invitation:v1", "anna@kommun.example", invitation, Payload: new
        {
            attachments = new[] { new { fileName = "webbsandning.ics", contentType = "text/calendar; method=PUBLISH; charset=utf-8", content = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" } },
        }));
        await EnqueueAsync(B, new OutboxMessage("invitation", $"{invitationB}:invitation:v1", "bo@kommun.example", invitationB));
        await EnqueueAsync(A, new OutboxMessage("invitation", "later", "sen@kommun.example", invitation, DueAt: DateTime.UtcNow.AddHours(1)));

        var handled = await new SenderHarness(_sink).DrainAsync();

        Assert.That(handled, Is.EqualTo(2), "the message due in an hour waits");
        var anna = _sink.Messages.Single(m => m.To.Mailboxes.Single().Address == "anna@kommun.example");
        var from = anna.From.Mailboxes.Single();
        var html = anna.HtmlBody;
        Assert.Multiple(() =>
        {
            Assert.That(from.Name, Is.EqualTo("Länsstyrelsen Uppsala"));
            Assert.That(from.Address, Is.EqualTo("noreply@vagavaradigital.se"));
            Assert.That(anna.ReplyTo.Mailboxes.Single().Address, Is.EqualTo("kontakt@lansstyrelsen-uppsala.example"));
            Assert.That(anna.Subject, Is.EqualTo("Inbjudan: Digitalisering <i praktiken>"));
            Assert.That(anna.TextBody, Does.Contain("Hej Anna!").And.Contain($"https://uppsala.vagavaradigital.test/r/{token}"));
            Assert.That(html, Does.Contain("<html lang=\"sv\">").And.Contain("Digitalisering &lt;i praktiken&gt;").And.Not.Contain("<i praktiken>"));
            Assert.That(anna.Headers["List-Unsubscribe"], Is.EqualTo($"<https://uppsala.vagavaradigital.test/u/{token}>"));
            Assert.That(anna.Headers["List-Unsubscribe-Post"], Is.EqualTo("List-Unsubscribe=One-Click"));
            Assert.That(anna.MessageId, Is.EqualTo(MessageComposer.MessageIdFor(A, $"{invitation}:invitation:v1", "vagavaradigital.se")));
            Assert.That(anna.Attachments.OfType<MimePart>().Single().FileName, Is.EqualTo("webbsandning.ics"));
        });

        var rows = await EmailData.OutboxAsync(Database, "invitation");
        Assert.That(rows.Count(r => r.Status == "sent"), Is.EqualTo(2));
        Assert.That(rows.Single(r => r.IdempotencyKey == "later").Status, Is.EqualTo("pending"));
        Assert.That(rows.Where(r => r.Status == "sent").Select(r => r.MessageId), Has.All.Not.Null);
    }

    [Test]
    public async Task A_permanent_refusal_fails_the_message_and_shows_it_to_the_tenants_admins_while_a_temporary_one_is_retried_later()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
        var (_, gone, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent", "finns-inte@kommun.example");
        var (_, busy, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent", "upptagen@kommun.example");
        await EnqueueAsync(A, new OutboxMessage("invitation", $"{gone}:invitation:v1", "finns-inte@kommun.example", gone));
        await EnqueueAsync(A, new OutboxMessage("invitation", $"{busy}:invitation:v1", "upptagen@kommun.example", busy));
        _sink.Respond = to => to.StartsWith("finns-inte") ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 no such mailbox")
            : to.StartsWith("upptagen") ? new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 try again later") : null;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var harness = new SenderHarness(_sink, clock);

        await harness.DrainAsync();

        var rows = await EmailData.OutboxAsync(Database, "invitation");
        var failed = rows.Single(r => r.IdempotencyKey.StartsWith(gone.ToString()));
        var retried = rows.Single(r => r.IdempotencyKey.StartsWith(busy.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(failed.Status, Is.EqualTo("failed"));
            Assert.That(failed.PermanentFailure, Is.True);
            Assert.That(failed.LastError, Does.Contain("550"));
            Assert.That(retried.Status, Is.EqualTo("pending"));
            Assert.That(retried.Attempts, Is.EqualTo(1));
            Assert.That(retried.LastError, Does.Contain("451"));
            Assert.That(retried.NextAttemptAt, Is.EqualTo(clock.GetUtcNow().UtcDateTime + harness.Options.RetryBaseDelay).Within(TimeSpan.FromSeconds(1)));
        });

        // The county's admins see it in the outbox; staff of other roles do not reach the outbox.
        var admin = App.ClientAs("CountyAdmin", A, tenantSlug: TwoTenants.ASlug);
        var page = await GetJsonAsync(admin, "api/email/outbox?status=failed");
        var item = page.GetProperty("items").EnumerateArray().Single();
        Assert.That(item.GetProperty("lastError").GetString(), Does.Contain("550"));
        Assert.That(item.GetProperty("permanentFailure").GetBoolean(), Is.True);
        using var editor = await App.ClientAs("CountyEditor", A, tenantSlug: TwoTenants.ASlug).GetAsync("api/email/outbox");
        Assert.That(editor.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        // Retry by hand: back to pending; the receiving server has recovered.
        _sink.Respond = null;
        using var retry = await admin.PostAsync($"api/email/outbox/{failed.Id}/retry", null);
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await harness.DrainAsync();
        Assert.That((await EmailData.OutboxAsync(Database, "invitation")).Single(r => r.Id == failed.Id).Status, Is.EqualTo("sent"));
    }

    [Test]
    public async Task A_temporarily_failing_message_is_given_up_after_the_maximum_attempts()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
        var (_, busy, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent", "upptagen@kommun.example");
        await EnqueueAsync(A, new OutboxMessage("invitation", $"{busy}:invitation:v1", "upptagen@kommun.example", busy));
        _sink.Respond = _ => new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 try again later");
        var harness = new SenderHarness(_sink, configure: o => o.RetryBaseDelay = TimeSpan.Zero);

        for (var i = 0; i < 3; i++) await harness.DrainAsync();

        var row = (await EmailData.OutboxAsync(Database, "invitation")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(row.Status, Is.EqualTo("failed"));
            Assert.That(row.Attempts, Is.EqualTo(3));
            Assert.That(row.PermanentFailure, Is.False);
            Assert.That(row.LastError, Does.Contain("3 försök"));
        });
    }

    [Test]
    public async Task With_credentials_configured_the_sender_authenticates_and_a_missing_or_refused_login_is_retried_later()
    {
        await using var secured = await SmtpSink.StartAsync(login: ("vvd-sender", "ratt-losenord"));
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent", "anna@kommun.example");
        await EnqueueAsync(A, new OutboxMessage("invitation", $"{invitation}:invitation:v1", "anna@kommun.example", invitation));

        // No login configured: the server answers 530 — about us, not the recipient: the message waits.
        await new SenderHarness(secured).DrainAsync();
        var unauthenticated = (await EmailData.OutboxAsync(Database, "invitation")).Single();
        Assert.That((unauthenticated.Status, unauthenticated.PermanentFailure), Is.EqualTo(("pending", false)), unauthenticated.LastError);
        await Database.ExecuteAsSuperuserAsync($"UPDATE email_outbox SET next_attempt_at = now(), attempts = 0 WHERE id = {unauthenticated.Id}");

        await new SenderHarness(secured, configure: o => { o.SmtpUsername = "vvd-sender"; o.SmtpPassword = "fel-losenord"; }).DrainAsync();
        var refused = (await EmailData.OutboxAsync(Database, "invitation")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(secured.Accepted, Is.Zero);
            Assert.That(refused.Status, Is.EqualTo("pending"), "a refused login is our configuration, not the recipient: tried again");
            Assert.That(refused.PermanentFailure, Is.False);
            Assert.That(refused.Attempts, Is.EqualTo(1));
            Assert.That(refused.NextAttemptAt, Is.Not.Null, "after the backoff");
            Assert.That(refused.LastError, Does.Contain("SMTP-inloggningen"));
            Assert.That(refused.LastError, Does.Not.Contain("fel-losenord"), "no secret in the error");
        });

        // The password is corrected; the retry comes due (the claim compares with the database's clock).
        await Database.ExecuteAsSuperuserAsync($"UPDATE email_outbox SET next_attempt_at = now() WHERE id = {refused.Id}");
        await new SenderHarness(secured, configure: o => { o.SmtpUsername = "vvd-sender"; o.SmtpPassword = "ratt-losenord"; }).DrainAsync();
        Assert.That(secured.Accepted, Is.EqualTo(1));
        Assert.That((await EmailData.OutboxAsync(Database, "invitation")).Single().Status, Is.EqualTo("sent"));
    }

    [Test]
    public async Task Two_senders_working_at_once_send_every_message_exactly_once()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent");
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            await conn.ExecuteAsync("""
                INSERT INTO email_outbox (tenant_id, kind, idempotency_key, invitation_id, to_address)
                SELECT @A, 'invitation', 'bulk:' || n, @invitation, 'mottagare' || n || '@kommun.example' FROM generate_series(1, 300) n
                """, new { A, invitation });
        }
        var harness = new SenderHarness(_sink, configure: o => o.BatchSize = 7);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => harness.DrainAsync($"worker-{i}"))));

        Assert.Multiple(() =>
        {
            Assert.That(_sink.Accepted, Is.EqualTo(300));
            Assert.That(_sink.MessageIds.Count, Is.EqualTo(300));
            Assert.That(_sink.Duplicates, Is.Zero);
        });
        Assert.That((await EmailData.OutboxAsync(Database)).Select(r => r.Status), Has.All.EqualTo("sent"));
    }

    [Test]
    public async Task Nothing_goes_to_an_opted_out_invitee_and_stale_reminders_are_dropped_at_send_time()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
        var (optedOut, inv1, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        var (_, declined, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        var (_, oldVersion, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EnqueueAsync(A, new OutboxMessage("reminder", $"{inv1}:reminder:60:v1", "x1@kommun.example", inv1, Payload: new { scheduleVersion = 1, offsetMinutes = 60 }));
        await EnqueueAsync(A, new OutboxMessage("reminder", $"{declined}:reminder:60:v1", "x2@kommun.example", declined, Payload: new { scheduleVersion = 1, offsetMinutes = 60 }));
        await EnqueueAsync(A, new OutboxMessage("reminder", $"{oldVersion}:reminder:60:v0", "x3@kommun.example", oldVersion, Payload: new { scheduleVersion = 0, offsetMinutes = 60 }));
        await Database.ExecuteAsSuperuserAsync($"""
            UPDATE invitees SET status = 'opted_out' WHERE id = '{optedOut}';
            UPDATE invitations SET status = 'declined' WHERE id = '{declined}';
            """);

        await new SenderHarness(_sink).DrainAsync();

        Assert.That(_sink.Accepted, Is.Zero);
        var rows = await EmailData.OutboxAsync(Database, "reminder");
        Assert.That(rows.Select(r => (r.Status, r.LastError)), Is.EquivalentTo(new[]
        {
            ("cancelled", "opted_out"), ("cancelled", "not_accepted"), ("cancelled", "superseded"),
        }));
    }

    [Test]
    public async Task A_nudge_due_at_night_waits_until_seven_in_the_morning_Stockholm_time()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent");
        await EnqueueAsync(A, new OutboxMessage("nudge", $"{invitation}:nudge:v1", "x@kommun.example", invitation, Payload: new { scheduleVersion = 1 }));
        // 23:30 in Stockholm tomorrow: the sender's clock must not be behind the database's, which decides what is due
        // (a fixed date here made every run after it drain for ever: the deferral was already past).
        var stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        var tomorrow = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, stockholm).Date.AddDays(1);
        var night = new DateTimeOffset(tomorrow.AddHours(23.5), stockholm.GetUtcOffset(tomorrow.AddHours(23.5)));
        var sevenNextMorning = TimeZoneInfo.ConvertTimeToUtc(tomorrow.AddDays(1).AddHours(7), stockholm);

        await new SenderHarness(_sink, new FakeTimeProvider(night)).DrainAsync();

        var row = (await EmailData.OutboxAsync(Database, "nudge")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(_sink.Accepted, Is.Zero);
            Assert.That(row.Status, Is.EqualTo("pending"));
            Assert.That(row.Attempts, Is.Zero, "waiting is not a failed attempt");
            Assert.That(row.NextAttemptAt, Is.EqualTo(sevenNextMorning));
        });
    }

    [Test]
    public async Task Without_SMTP_each_message_becomes_an_eml_file_that_the_outbox_view_shows()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"vvd-mail-{Guid.NewGuid():N}");
        try
        {
            var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
            var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent");
            await EnqueueAsync(A, new OutboxMessage("invitation", $"{invitation}:invitation:v1", "anna@kommun.example", invitation));
            var harness = new SenderHarness(_sink, configure: o => { o.SmtpHost = null; o.PickupDirectory = dir; });

            await harness.DrainAsync();

            var file = Directory.GetFiles(Path.Combine(dir, A), "*.eml").Single();
            var row = (await EmailData.OutboxAsync(Database, "invitation")).Single();
            Assert.That(row.Status, Is.EqualTo("sent"));
            var saved = await MimeMessage.LoadAsync(file);
            Assert.That(saved.Subject, Does.StartWith("Inbjudan:"));

            // The outbox view serves it (the app's pickup folder is not the harness's, so it composes the same message).
            var admin = App.ClientAs("CountyAdmin", A, tenantSlug: TwoTenants.ASlug);
            using var eml = await admin.GetAsync($"api/email/outbox/{row.Id}/eml");
            Assert.That(eml.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(eml.Content.Headers.ContentType?.MediaType, Is.EqualTo("message/rfc822"));
            var shown = await MimeMessage.LoadAsync(await eml.Content.ReadAsStreamAsync());
            Assert.That(shown.MessageId, Is.EqualTo(saved.MessageId));
            Assert.That(shown.Subject, Is.EqualTo(saved.Subject));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Test]
    public async Task The_app_sends_what_a_feature_enqueues_with_its_hosted_sender_over_SMTP()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent");
        await using var app = new PlatformFactory(Database, b => b
            .UseSetting("Jobs:Server", "true")
            .UseSetting("Jobs:RegisterRecurringJobs", "false")
            .UseSetting("Jobs:WorkerCount", "1")
            .UseSetting("Jobs:ShutdownTimeout", "00:00:02")
            .UseSetting("Email:SmtpHost", "127.0.0.1")
            .UseSetting("Email:SmtpPort", _sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Email:SmtpSecurity", "none")
            .UseSetting("Email:PollInterval", "00:00:00.100"));
        _ = app.Services;   // starts the host and its sender

        await EnqueueAsync(A, new OutboxMessage("confirmation", $"{invitation}:confirmation:v1", "anna@kommun.example", invitation));

        await _sink.WaitForAsync(1, TimeSpan.FromSeconds(30));
        Assert.That(_sink.Messages.Single().Subject, Does.StartWith("Välkommen:"));
    }
}
