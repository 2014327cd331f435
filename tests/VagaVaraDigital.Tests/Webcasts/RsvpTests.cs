using System.Net;
using System.Net.Http.Json;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Webcasts;

/// <summary>The public RSVP page (HTML without JavaScript) and its JSON twin.</summary>
public sealed class RsvpTests : WebcastTest
{
    async Task<(Guid WebcastId, string Token)> InvitedAsync(int? capacity = null, string email = "anna@uppsala.se")
    {
        var staff = Staff();
        var id = (await CreateScheduledAsync(staff, capacity: capacity)).GetProperty("id").GetGuid();
        await AddInviteeAsync(email);
        await InviteAsync(staff, id);
        return (id, await TokenOfAsync(id, email));
    }

    [Test]
    public async Task The_page_works_without_javascript_accepting_sends_a_confirmation_with_a_calendar_file()
    {
        var (_, token) = await InvitedAsync();
        var browser = Public();
        using var page = await browser.GetAsync($"r/{token}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)page.StatusCode, Is.EqualTo(200));
            Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(page.Headers.CacheControl?.NoStore, Is.True, "a personal page is not cached");
            Assert.That(html, Does.Contain("<html lang=\"sv\">").And.Contain("Digitaliseringen och planprocessen")
                .And.Contain("Länsstyrelsen i Uppsala län").And.Contain("lang=\"en\"").And.Contain("<main id=\"main\"")
                .And.Contain("method=\"post\"").And.Not.Contain("<script"));
        });

        using var posted = await AnswerByFormAsync(browser, token, "accept");
        Assert.That((int)posted.StatusCode, Is.EqualTo(303));
        Assert.That(posted.Headers.Location!.ToString(), Does.StartWith($"/t/{ASlug}/r/{token}?klart=accepted"));
        Assert.That(await StatusOfAsync(token), Is.EqualTo("accepted"));
        var after = await browser.GetStringAsync(posted.Headers.Location!.ToString().Replace($"/t/{ASlug}/", ""));
        Assert.That(after, Does.Contain("Du är anmäld").And.Contain("kalender.ics"));

        var confirmation = (await OutboxAsync("confirmation")).Single();
        Assert.That(confirmation.ToAddress, Is.EqualTo("anna@uppsala.se"));
        Assert.That(AttachmentOf(confirmation), Does.Contain("BEGIN:VEVENT").And.Contain("METHOD:PUBLISH").And.Contain("BEGIN:VTIMEZONE"));

        // Change of mind until the start.
        using var declined = await AnswerByFormAsync(browser, token, "decline");
        Assert.That((int)declined.StatusCode, Is.EqualTo(303));
        Assert.That(await StatusOfAsync(token), Is.EqualTo("declined"));
    }

    [Test]
    public async Task A_form_post_without_a_valid_proof_or_from_another_site_changes_nothing()
    {
        var (_, token) = await InvitedAsync();
        var browser = Public();
        using var bare = await browser.PostAsync($"r/{token}", new FormUrlEncodedContent(new Dictionary<string, string> { ["answer"] = "accept" }));
        Assert.That((int)bare.StatusCode, Is.EqualTo(400));
        Assert.That(await bare.Content.ReadAsStringAsync(), Does.Contain("Välj ditt svar igen"));

        var page = await browser.GetStringAsync($"r/{token}");
        var proof = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "name=\"proof\" value=\"([^\"]+)\"").Groups[1].Value);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, $"r/{token}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["answer"] = "accept", ["proof"] = proof }),
        };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        crossSite.Headers.Add("Origin", "https://evil.example");
        using var refused = await browser.SendAsync(crossSite);
        Assert.That((int)refused.StatusCode, Is.EqualTo(400));
        Assert.That(await StatusOfAsync(token), Is.EqualTo("sent"));
    }

    [TestCase("")]
    [TestCase("x")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]           // well-formed, unknown
    [TestCase("%27%20OR%201%3D1--aaaaaaaaaaaaaaaaaaa")]       // SQL-ish
    [TestCase("..%2F..%2Fetc%2Fpasswd-aaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Unknown_and_malformed_tokens_get_the_same_friendly_404(string token)
    {
        await InvitedAsync();
        var browser = Public();
        using var page = await browser.GetAsync($"r/{token}");
        if (token.Length == 0) { Assert.That((int)page.StatusCode, Is.EqualTo(404)); return; }
        Assert.That((int)page.StatusCode, Is.EqualTo(404));
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("Länken fungerar inte").And.Contain("This link does not work"));
        using var json = await browser.GetAsync($"api/public/rsvp/{token}");
        await AssertProblemAsync(json, 404, "not_found");
        using var join = await browser.GetAsync($"j/{token}");
        Assert.That((int)join.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task The_404_for_an_expired_token_looks_exactly_like_the_one_for_a_token_that_never_existed()
    {
        var (id, token) = await InvitedAsync();
        await ExecAsync("UPDATE webcasts SET starts_at = now() - interval '40 days', status = 'completed' WHERE id = @id", new { id });
        var browser = Public();
        var expired = await (await browser.GetAsync($"r/{token}")).Content.ReadAsStringAsync();
        var never = await (await browser.GetAsync("r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).Content.ReadAsStringAsync();
        Assert.That(expired, Is.EqualTo(never));
    }

    [Test]
    public async Task A_token_of_tenant_A_does_not_work_on_tenant_Bs_path_or_host()
    {
        var (_, token) = await InvitedAsync();
        using var onPath = await Public(TwoTenants.BSlug).GetAsync($"r/{token}");
        Assert.That((int)onPath.StatusCode, Is.EqualTo(404));
        var onB = await onPath.Content.ReadAsStringAsync();
        Assert.That(onB, Does.Not.Contain("Digitaliseringen och planprocessen"));

        var hostB = App.ClientAs(null, host: $"{TwoTenants.BSlug}.vagavaradigital.test");
        using var onHost = await hostB.GetAsync($"r/{token}");
        Assert.That((int)onHost.StatusCode, Is.EqualTo(404));
        using var jsonOnB = await hostB.PostAsJsonAsync($"api/public/rsvp/{token}", new { answer = "accept" });
        await AssertProblemAsync(jsonOnB, 404);
        using var icsOnB = await hostB.GetAsync($"r/{token}/kalender.ics");
        Assert.That((int)icsOnB.StatusCode, Is.EqualTo(404));
        Assert.That(await StatusOfAsync(token), Is.EqualTo("sent"));

        var hostA = App.ClientAs(null, host: $"{ASlug}.vagavaradigital.test");
        using var onA = await hostA.GetAsync($"r/{token}");
        Assert.That((int)onA.StatusCode, Is.EqualTo(200), "the same token works on its own tenant's host");
    }

    [Test]
    public async Task Fifty_concurrent_acceptances_for_ten_seats_give_exactly_ten_accepted_and_forty_waitlisted()
    {
        var staff = Staff();
        var id = (await CreateScheduledAsync(staff, capacity: 10)).GetProperty("id").GetGuid();
        for (var i = 0; i < 50; i++) await AddInviteeAsync($"person{i:00}@uppsala.se");
        Assert.That(await InviteAsync(staff, id), Is.EqualTo(50));
        var tokens = (await ScalarAsync<string[]>("SELECT array_agg(token) FROM invitations WHERE webcast_id = @id", new { id }));

        using var start = new SemaphoreSlim(0);
        var tasks = tokens.Select(async t =>
        {
            var client = Public();
            await start.WaitAsync();
            using var r = await client.PostAsJsonAsync($"api/public/rsvp/{t}", new { answer = "accept" });
            return (await JsonAsync(r)).GetProperty("result").GetString();
        }).ToArray();
        start.Release(tokens.Length);
        var results = await Task.WhenAll(tasks);

        Assert.That(results.Count(r => r == "accepted"), Is.EqualTo(10));
        Assert.That(results.Count(r => r == "waitlisted"), Is.EqualTo(40));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM invitations WHERE webcast_id = @id AND status = 'accepted'", new { id }), Is.EqualTo(10));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM invitations WHERE webcast_id = @id AND status = 'waitlisted'", new { id }), Is.EqualTo(40));

        // A seat freed goes to the first on the waitlist, who is told so with a calendar file.
        var firstWaiting = await ScalarAsync<string>(
            "SELECT token FROM invitations WHERE webcast_id = @id AND status = 'waitlisted' ORDER BY waitlisted_at, id LIMIT 1", new { id });
        var anAccepted = await ScalarAsync<string>("SELECT token FROM invitations WHERE webcast_id = @id AND status = 'accepted' LIMIT 1", new { id });
        using (var d = await Public().PostAsJsonAsync($"api/public/rsvp/{anAccepted}", new { answer = "decline" }))
            Assert.That((await JsonAsync(d)).GetProperty("result").GetString(), Is.EqualTo("declined"));
        Assert.That(await StatusOfAsync(firstWaiting), Is.EqualTo("accepted"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM invitations WHERE webcast_id = @id AND status = 'accepted'", new { id }), Is.EqualTo(10));
        var promoted = (await OutboxAsync("promoted")).Single();
        Assert.That(AttachmentOf(promoted), Does.Contain("BEGIN:VEVENT"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE kind = 'confirmation'"), Is.EqualTo(10));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE kind = 'waitlisted'"), Is.EqualTo(40));
    }

    [Test]
    public async Task A_larger_capacity_promotes_the_waitlist_in_order_and_the_json_api_shows_the_invitation()
    {
        var staff = Staff();
        var w = await CreateScheduledAsync(staff, capacity: 1);
        var id = w.GetProperty("id").GetGuid();
        foreach (var n in new[] { "a", "b", "c" }) await AddInviteeAsync($"{n}@uppsala.se");
        await InviteAsync(staff, id);
        foreach (var n in new[] { "a", "b", "c" })
        {
            using var r = await Public().PostAsJsonAsync($"api/public/rsvp/{await TokenOfAsync(id, $"{n}@uppsala.se")}", new { answer = "accept" });
            Assert.That((int)r.StatusCode, Is.EqualTo(200));
        }
        var b = await TokenOfAsync(id, "b@uppsala.se");
        var json = await GetJsonAsync(Public(), $"api/public/rsvp/{b}");
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("waitlisted"));
        Assert.That(json.GetProperty("canChangeAnswer").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("tenantName").GetString(), Is.EqualTo("Länsstyrelsen i Uppsala län"));
        Assert.That(json.GetProperty("webcast").GetProperty("startsAtLocal").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT10:00:00\+0[12]:00$"));

        var body = new
        {
            title = w.GetProperty("title").GetString(), description = "", startsAt = w.GetProperty("startsAtLocal").GetString(),
            durationMinutes = 60, platform = "teams", joinUrl = "https://teams.microsoft.com/l/meetup-join/abc", capacity = 2,
        };
        using (var put = await staff.PutAsJsonAsync($"api/webcasts/{id}", body)) Assert.That((int)put.StatusCode, Is.EqualTo(200), await put.Content.ReadAsStringAsync());
        Assert.That(await StatusOfAsync(b), Is.EqualTo("accepted"), "first on the waitlist");
        Assert.That(await StatusOfAsync(await TokenOfAsync(id, "c@uppsala.se")), Is.EqualTo("waitlisted"));

        using var move = await staff.PutAsJsonAsync($"api/webcasts/{id}", body with { startsAt = LocalInDays(30) });
        await AssertProblemAsync(move, 409, "use_reschedule");
    }

    [Test]
    public async Task Answers_close_at_the_start()
    {
        var (id, token) = await InvitedAsync();
        await ExecAsync("UPDATE webcasts SET starts_at = now() - interval '5 minutes' WHERE id = @id", new { id });
        using var late = await Public().PostAsJsonAsync($"api/public/rsvp/{token}", new { answer = "accept" });
        await AssertProblemAsync(late, 409, "rsvp_closed");
        var html = await Public().GetStringAsync($"r/{token}");
        Assert.That(html, Does.Not.Contain("method=\"post\""));
        Assert.That(await StatusOfAsync(token), Is.EqualTo("sent"));
    }

    [Test]
    public async Task The_personal_calendar_file_and_the_tenant_feed()
    {
        var (id, token) = await InvitedAsync();
        using var ics = await Public().GetAsync($"r/{token}/kalender.ics");
        Assert.That(ics.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/calendar"));
        var text = await ics.Content.ReadAsStringAsync();
        var invitationId = await ScalarAsync<Guid>("SELECT id FROM invitations WHERE token = @token", new { token });
        Assert.That(text, Does.Contain($"UID:invitation-{invitationId}@vagavaradigital.se").And.Contain("SEQUENCE:1")
            .And.Contain("TZID:Europe/Stockholm").And.Contain("DTSTART;TZID=Europe/Stockholm:"));

        using var feed = await Public().GetAsync("kalender.ics");
        var feedText = await feed.Content.ReadAsStringAsync();
        Assert.That(feedText, Does.Contain($"UID:webcast-{id}@vagavaradigital.se").And.Contain("X-WR-CALNAME"));
        Assert.That(await (await Public(TwoTenants.BSlug).GetAsync("kalender.ics")).Content.ReadAsStringAsync(), Does.Not.Contain(id.ToString()));
    }

    [Test]
    public async Task The_tracked_join_link_records_the_join_and_redirects_only_inside_its_window()
    {
        var (id, token) = await InvitedAsync();
        using (var early = await Public().GetAsync($"j/{token}"))
        {
            Assert.That((int)early.StatusCode, Is.EqualTo(200));
            Assert.That(await early.Content.ReadAsStringAsync(), Does.Contain("Länken öppnas kl."));
        }
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM attendance"), Is.Zero);

        await ExecAsync("UPDATE webcasts SET starts_at = now() + interval '20 minutes' WHERE id = @id", new { id });
        using (var open = await Public().GetAsync($"j/{token}"))
        {
            Assert.That((int)open.StatusCode, Is.EqualTo(302));
            Assert.That(open.Headers.Location!.ToString(), Is.EqualTo("https://teams.microsoft.com/l/meetup-join/abc"));
        }
        using (await Public().GetAsync($"j/{token}")) { }
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM attendance WHERE source = 'tracked_link'"), Is.EqualTo(1));
        Assert.That(await StatusOfAsync(token), Is.EqualTo("attended"));

        await ExecAsync("UPDATE webcasts SET starts_at = now() - interval '2 hours' WHERE id = @id", new { id });
        using var ended = await Public().GetAsync($"j/{token}");
        Assert.That((int)ended.StatusCode, Is.EqualTo(200));
        Assert.That(await ended.Content.ReadAsStringAsync(), Does.Contain("avslutad"));
    }

    [Test]
    public async Task The_shared_stylesheet_is_served_for_every_public_page()
    {
        using var css = await App.ClientAs(null).GetAsync("public/vvd.css");
        Assert.That(css.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/css"));
        Assert.That(await css.Content.ReadAsStringAsync(), Does.Contain(":focus-visible"));
    }
}
