using System.Net.Http.Json;
using Dapper;

namespace VagaVaraDigital.Tests.Webcasts;

public sealed class WebcastsTests : WebcastTest
{
    /// <summary>The last Sunday of March/October of the year after next (always ahead of the clock).</summary>
    static DateOnly LastSunday(int month)
    {
        var year = DateTime.UtcNow.Year + 1;
        var d = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        while (d.DayOfWeek != DayOfWeek.Sunday) d = d.AddDays(-1);
        return d;
    }

    [Test]
    public async Task A_start_in_the_spring_forward_gap_is_rejected_with_a_clear_message_and_nothing_is_created()
    {
        var staff = Staff();
        var gap = LastSunday(3).ToString("yyyy-MM-dd") + "T02:30";
        using var response = await staff.PostAsJsonAsync("api/webcasts", WebcastBody(gap));
        var problem = await AssertProblemAsync(response, 400, "validation");
        Assert.That(problem.GetProperty("errors").GetProperty("startsAt")[0].GetString(), Does.Contain("finns inte").And.Contain("02:00"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM webcasts"), Is.Zero);

        using var after = await staff.PostAsJsonAsync("api/webcasts", WebcastBody(LastSunday(3).ToString("yyyy-MM-dd") + "T03:00"));
        var body = await JsonAsync(after);
        Assert.That(body.GetProperty("startsAtLocal").GetString(), Does.EndWith("T03:00:00+02:00"));
    }

    [Test]
    public async Task The_autumn_ambiguous_hour_is_stored_as_the_first_occurrence_unless_the_offset_is_given()
    {
        var staff = Staff();
        var day = LastSunday(10).ToString("yyyy-MM-dd");
        using var plain = await staff.PostAsJsonAsync("api/webcasts", WebcastBody(day + "T02:30"));
        using var second = await staff.PostAsJsonAsync("api/webcasts", WebcastBody(day + "T02:30+01:00"));
        var (p, s) = (await JsonAsync(plain), await JsonAsync(second));
        Assert.That(p.GetProperty("startsAtLocal").GetString(), Is.EqualTo(day + "T02:30:00+02:00"));
        Assert.That(p.GetProperty("startsAt").GetDateTime().ToUniversalTime().Hour, Is.EqualTo(0));
        Assert.That(s.GetProperty("startsAtLocal").GetString(), Is.EqualTo(day + "T02:30:00+01:00"));
        Assert.That(s.GetProperty("startsAt").GetDateTime().ToUniversalTime().Hour, Is.EqualTo(1));
    }

    [TestCase("http://teams.example/meeting")]
    [TestCase("javascript:alert(1)")]
    [TestCase("teams.example/meeting")]
    public async Task Join_urls_must_be_https(string url)
    {
        using var response = await Staff().PostAsJsonAsync("api/webcasts", WebcastBody(LocalInDays(10), joinUrl: url));
        var problem = await AssertProblemAsync(response, 400, "validation");
        Assert.That(problem.GetProperty("errors").TryGetProperty("joinUrl", out _), Is.True);
    }

    [Test]
    public async Task Draft_to_scheduled_and_the_schedule_is_readable_by_municipal_users_without_the_join_url()
    {
        var staff = Staff();
        var w = await CreateScheduledAsync(staff);
        Assert.That(w.GetProperty("status").GetString(), Is.EqualTo("scheduled"));
        var municipal = App.ClientAs("MunicipalUser", A, AMunicipality, tenantSlug: ASlug);
        var list = await GetJsonAsync(municipal, "api/webcasts");
        Assert.That(list.GetArrayLength(), Is.EqualTo(1));
        Assert.That(list[0].GetProperty("joinUrl").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        using var forbidden = await municipal.PostAsJsonAsync("api/webcasts", WebcastBody(LocalInDays(3)));
        Assert.That((int)forbidden.StatusCode, Is.EqualTo(403));
    }

    [Test]
    public async Task Inviting_skips_opted_out_erased_and_departed_people_previews_the_count_and_never_invites_twice()
    {
        var staff = Staff();
        var w = await CreateScheduledAsync(staff);
        var id = w.GetProperty("id").GetGuid();
        await AddInviteeAsync("anna@uppsala.se");
        await AddInviteeAsync("bo@uppsala.se", role: "kommunledning");
        await AddInviteeAsync("ut@uppsala.se", status: "opted_out");
        await AddInviteeAsync("borta@uppsala.se", status: "erased");
        await AddInviteeAsync("slutat@uppsala.se", noLongerInOffice: true);
        await AddInviteeAsync("annan@enkoping.se", municipality: "0381");

        using var preview = await staff.PostAsJsonAsync($"api/webcasts/{id}/invitations/preview", new { municipalities = new[] { AMunicipality } });
        var p = await JsonAsync(preview);
        Assert.That(p.GetProperty("matching").GetInt32(), Is.EqualTo(2));
        Assert.That(p.GetProperty("newInvitations").GetInt32(), Is.EqualTo(2));
        Assert.That(p.GetProperty("excludedOptedOutOrErased").GetInt32(), Is.EqualTo(2));

        Assert.That(await InviteAsync(staff, id, new { municipalities = new[] { AMunicipality }, roleCategories = new[] { "fortroendevald" } }), Is.EqualTo(1));
        Assert.That(await InviteAsync(staff, id, new { municipalities = new[] { AMunicipality } }), Is.EqualTo(1), "only the new person");
        Assert.That(await InviteAsync(staff, id, new { municipalities = new[] { AMunicipality } }), Is.Zero, "nobody twice");
        Assert.That(await InviteAsync(staff, id), Is.EqualTo(1), "the whole county adds Enköping");

        var tokens = (await ScalarAsync<string[]>("SELECT array_agg(token) FROM invitations WHERE webcast_id = @id", new { id }));
        Assert.That(tokens, Has.Length.EqualTo(3).And.Unique);
        Assert.That(tokens.Select(t => System.Buffers.Text.Base64Url.DecodeFromChars(t).Length * 8),
            Has.All.GreaterThanOrEqualTo(128));
        Assert.That((await OutboxAsync("invitation")).Select(o => o.ToAddress),
            Is.EquivalentTo(new[] { "anna@uppsala.se", "bo@uppsala.se", "annan@enkoping.se" }));
    }

    [Test]
    public async Task Reschedule_raises_the_sequence_stops_old_reminders_and_notifies_everyone_invited()
    {
        var staff = Staff();
        var id = (await CreateScheduledAsync(staff)).GetProperty("id").GetGuid();
        await AddInviteeAsync("anna@uppsala.se");
        await AddInviteeAsync("bo@uppsala.se");
        await InviteAsync(staff, id);
        var anna = await TokenOfAsync(id, "anna@uppsala.se");
        using (var r = await Public().PostAsJsonAsync($"api/public/rsvp/{anna}", new { answer = "accept" })) Assert.That((int)r.StatusCode, Is.EqualTo(200));
        var annaId = await ScalarAsync<Guid>("SELECT id FROM invitations WHERE token = @anna", new { anna });
        var before = await OutboxAsync("reminder");
        Assert.That(before, Is.Not.Empty.And.All.Matches<OutboxRow>(r => r.Status == "pending" && r.IdempotencyKey.EndsWith(":v1")),
            "accepting schedules reminders (Features/Email)");

        using var moved = await staff.PostAsJsonAsync($"api/webcasts/{id}/reschedule", new { startsAt = LocalInDays(20, 13) });
        var body = await JsonAsync(moved);
        Assert.That((int)moved.StatusCode, Is.EqualTo(200), body.ToString());
        Assert.That(body.GetProperty("scheduleVersion").GetInt32(), Is.EqualTo(2));

        var notices = await OutboxAsync("reschedule");
        Assert.That(notices.Select(n => n.ToAddress), Is.EquivalentTo(new[] { "anna@uppsala.se", "bo@uppsala.se" }));
        var annaNotice = notices.Single(n => n.ToAddress == "anna@uppsala.se");
        var ics = AttachmentOf(annaNotice);
        Assert.That(ics, Does.Contain("SEQUENCE:2").And.Contain($"UID:invitation-{annaId}@vagavaradigital.se").And.Contain("TZID:Europe/Stockholm"));
        var reminders = await OutboxAsync("reminder");
        Assert.That(reminders.Where(r => r.IdempotencyKey.EndsWith(":v1")).Select(r => r.Status), Has.All.EqualTo("cancelled"),
            "the reminders of the old time are stopped");
        Assert.That(reminders.Where(r => r.IdempotencyKey.EndsWith(":v2")).Select(r => r.Status), Is.Not.Empty.And.All.EqualTo("pending"),
            "and planned for the new time");

        using var same = await staff.PostAsJsonAsync($"api/webcasts/{id}/reschedule", new { startsAt = LocalInDays(20, 13) });
        await AssertProblemAsync(same, 409, "same_time");
    }

    [Test]
    public async Task Cancel_sends_cancellations_with_METHOD_CANCEL_and_stops_reminders_and_the_rsvp()
    {
        var staff = Staff();
        var id = (await CreateScheduledAsync(staff)).GetProperty("id").GetGuid();
        await AddInviteeAsync("anna@uppsala.se");
        await AddInviteeAsync("bo@uppsala.se");
        await InviteAsync(staff, id);
        var anna = await TokenOfAsync(id, "anna@uppsala.se");
        using (await Public().PostAsJsonAsync($"api/public/rsvp/{anna}", new { answer = "accept" })) { }
        Assert.That(await OutboxAsync("reminder"), Is.Not.Empty);

        using var cancelled = await staff.PostAsync($"api/webcasts/{id}/cancel", null);
        var body = await JsonAsync(cancelled);
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("cancelled"));

        var notices = await OutboxAsync("cancellation");
        Assert.That(notices.Select(n => n.ToAddress), Is.EquivalentTo(new[] { "anna@uppsala.se", "bo@uppsala.se" }));
        var ics = AttachmentOf(notices.Single(n => n.ToAddress == "anna@uppsala.se"));
        Assert.That(ics, Does.Contain("METHOD:CANCEL").And.Contain("STATUS:CANCELLED").And.Contain("SEQUENCE:2"));
        Assert.That((await OutboxAsync("reminder")).Select(r => r.Status), Has.All.EqualTo("cancelled"), "no reminders for a cancelled webcast");
        Assert.That((await OutboxAsync("nudge")).Select(r => r.Status), Has.All.EqualTo("cancelled"), "nor nudges to Bo, who never answered");

        using var late = await Public().PostAsJsonAsync($"api/public/rsvp/{anna}", new { answer = "decline" });
        await AssertProblemAsync(late, 409, "rsvp_closed");
        using var again = await staff.PostAsync($"api/webcasts/{id}/cancel", null);
        await AssertProblemAsync(again, 409, "webcast_not_cancellable");
    }
}
