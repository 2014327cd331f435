using System.Net;
using Dapper;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

public sealed class UnsubscribeTests : ApiTest
{
    const string A = TwoTenants.A;

    [Test]
    public async Task The_link_asks_first_and_a_one_click_POST_unsubscribes_and_stops_queued_mail()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(10));
        var (invitee, invitation, token) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.ScheduleForInvitationAsync(uow, invitation));
        var client = App.ClientAs(null, tenantSlug: TwoTenants.ASlug);

        using var page = await client.GetAsync($"u/{token}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<form method=\"post\"").And.Contain("Ja, avregistrera mig").And.Not.Contain("<script"));
        Assert.That(await StatusAsync(invitee), Is.EqualTo("active"), "GET changes nothing (link scanners)");

        // RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the List-Unsubscribe address.
        using var post = await client.PostAsync($"u/{token}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await post.Content.ReadAsStringAsync(), Does.Contain("avregistrerad"));
        Assert.That(await StatusAsync(invitee), Is.EqualTo("opted_out"));
        Assert.That((await EmailData.OutboxAsync(Database, "reminder")).Select(r => r.Status), Has.All.EqualTo("cancelled"));

        using var again = await client.PostAsync($"u/{token}", null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "idempotent");
    }

    [Test]
    public async Task The_person_can_undo_their_own_opt_out_from_the_same_link_and_new_mail_reaches_them_again()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(10));
        var (invitee, _, token) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        var client = App.ClientAs(null, tenantSlug: TwoTenants.ASlug);
        (await client.PostAsync($"u/{token}", null)).EnsureSuccessStatusCode();

        using var page = await client.GetAsync($"u/{token}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("Du är avregistrerad").And.Contain($"action=\"{token}/undo\"").And.Contain("/public/vvd.css"),
            "the opted-out page offers the undo, in the public pages' look");

        using var undo = await client.PostAsync($"u/{token}/undo", null);
        Assert.That(undo.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await undo.Content.ReadAsStringAsync(), Does.Contain("Välkommen tillbaka"));
        Assert.That(await StatusAsync(invitee), Is.EqualTo("active"));
        using (var again = await client.PostAsync($"u/{token}/undo", null)) Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "idempotent");

        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<DateTime?>("SELECT opted_out_at FROM invitees WHERE id = @invitee", new { invitee }), Is.Null);
        var audit = (await conn.QueryAsync<string>("SELECT action || ' ' || target || ' ' || details::text FROM audit_log WHERE target = @t ORDER BY id",
            new { t = $"invitee:{invitee}" })).ToArray();
        Assert.That(audit, Has.Length.EqualTo(2));
        Assert.That(audit[1], Does.StartWith("invitee.opt_out_undone").And.Not.Contain("@"));
        var emailable = await conn.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM invitees i WHERE i.id = @invitee AND {VagaVaraDigital.Api.Features.Invitees.InviteeRules.CanBeEmailedSql("i")}", new { invitee });
        Assert.That(emailable, Is.EqualTo(1), "new mailings reach the person again");
    }

    [Test]
    public async Task An_erased_person_cannot_be_brought_back_by_the_undo_and_a_foreign_token_changes_nothing()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(10));
        var (invitee, _, token) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await using (var conn = await Database.OpenSuperuserAsync())
            await conn.ExecuteAsync("UPDATE invitees SET status = 'erased' WHERE id = @invitee", new { invitee });
        var client = App.ClientAs(null, tenantSlug: TwoTenants.ASlug);

        using var undo = await client.PostAsync($"u/{token}/undo", null);
        Assert.That(undo.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await StatusAsync(invitee), Is.EqualTo("erased"));

        using var unknown = await client.PostAsync("u/no-such-token-0123456789abcdef/undo", null);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task An_unknown_link_says_so()
    {
        var client = App.ClientAs(null, tenantSlug: TwoTenants.ASlug);
        using var get = await client.GetAsync("u/no-such-token-0123456789abcdef");
        using var post = await client.PostAsync("u/no-such-token-0123456789abcdef", null);
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Another_countys_link_under_this_county_does_nothing()
    {
        await TwoTenants.SeedAsync(Database);
        var client = App.ClientAs(null, tenantSlug: TwoTenants.ASlug);
        using var post = await client.PostAsync($"u/{TwoTenants.BMarker}-token-0123456789abcdef", null);
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT status FROM invitees WHERE tenant_id = @B", new { TwoTenants.B }), Is.EqualTo("active"));
    }

    static async Task<string> StatusAsync(Guid invitee)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return await conn.ExecuteScalarAsync<string>("SELECT status FROM invitees WHERE id = @invitee", new { invitee }) ?? "";
    }
}
