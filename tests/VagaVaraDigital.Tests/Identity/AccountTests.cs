using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Dapper;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>Accounts by invitation only, NIST-style passwords, password reset by e-mail, and who may manage whom.</summary>
public sealed class AccountTests : ApiTest
{
    static async Task<(string UserId, string Token)> LinkFromOutboxAsync(string kind, string email)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        var link = await conn.ExecuteScalarAsync<string>(
            "SELECT payload->>'link' FROM email_outbox WHERE kind = @kind AND to_address = @email ORDER BY id DESC LIMIT 1", new { kind, email });
        Assert.That(link, Is.Not.Null, $"a {kind} e-mail to {email} is queued");
        var query = HttpUtility.ParseQueryString(new Uri(link!).Query);
        return (query["anvandare"]!, query["kod"]!);
    }

    [Test]
    public async Task CountyAdmin_invites_an_editor_who_sets_a_password_from_the_emailed_link_and_signs_in()
    {
        var admin = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");
        using var invite = await admin.PostAsJsonAsync("api/tenant/users", new { email = "ny@lansstyrelsen.se", displayName = "Ny Handläggare", role = "CountyEditor" });
        Assert.That(invite.StatusCode, Is.EqualTo(HttpStatusCode.Created), await invite.Content.ReadAsStringAsync());
        var invited = await JsonAsync(invite);
        Assert.That(invited.GetProperty("emailed").GetBoolean(), Is.True);
        Assert.That(invited.GetProperty("activationLink").ValueKind, Is.EqualTo(JsonValueKind.Null), "the link goes by e-mail only");

        var (userId, token) = await LinkFromOutboxAsync("user_invitation", "ny@lansstyrelsen.se");
        var browser = new Browser(App);
        await browser.SessionAsync();
        using (var tooShort = await browser.PostAsync("/api/auth/invitations/accept", new { userId, token, password = "kort1234" }))
        {
            var problem = await AssertProblemAsync(tooShort, 400, "validation");
            Assert.That(problem.GetProperty("errors").GetProperty("password")[0].GetString(), Does.Contain("minst 12"));
        }
        using (var common = await browser.PostAsync("/api/auth/invitations/accept", new { userId, token, password = "Lantmateriet2025!" }))
            await AssertProblemAsync(common, 400, "validation");
        using (var repeated = await browser.PostAsync("/api/auth/invitations/accept", new { userId, token, password = "abcabcabcabcabc" }))
            await AssertProblemAsync(repeated, 400, "validation");
        // No composition rules: a long lowercase passphrase with spaces is fine.
        using (var ok = await browser.PostAsync("/api/auth/invitations/accept", new { userId, token, password = "glada ankor simmar i fyris" }))
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await ok.Content.ReadAsStringAsync());
        using (var again = await browser.PostAsync("/api/auth/invitations/accept", new { userId, token, password = "en annan lång fras här" }))
            await AssertProblemAsync(again, 400, "invalid_link");

        Assert.That(await browser.SignInAsync("ny@lansstyrelsen.se", "glada ankor simmar i fyris"), Is.EqualTo("signed_in"));
        Assert.That((await browser.SessionAsync()).GetProperty("user").GetProperty("tenantId").GetString(), Is.EqualTo("03"));
    }

    [Test]
    public async Task A_CountyAdmin_may_invite_only_CountyEditors_and_only_into_their_own_tenant()
    {
        var admin = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");
        using var asAdmin = await admin.PostAsJsonAsync("api/tenant/users", new { email = "chef@lansstyrelsen.se", role = "CountyAdmin" });
        using var national = await admin.PostAsJsonAsync("api/tenant/users", new { email = "lm@lantmateriet.se", role = "NationalViewer" });
        using var system = await admin.PostAsJsonAsync("/api/system/users", new { email = "x@lansstyrelsen.se", role = "CountyEditor", tenantId = "01" });
        using var otherTenant = await App.ClientAs("CountyAdmin", "03", tenantSlug: "stockholm")
            .PostAsJsonAsync("api/tenant/users", new { email = "y@lansstyrelsen.se", role = "CountyEditor" });
        using var editor = await App.ClientAs("CountyEditor", "03", tenantSlug: "uppsala")
            .PostAsJsonAsync("api/tenant/users", new { email = "z@lansstyrelsen.se", role = "CountyEditor" });

        await AssertProblemAsync(asAdmin, 400, "validation");
        await AssertProblemAsync(national, 400, "validation");
        Assert.That(system.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await AssertProblemAsync(otherTenant, 403, "tenant_forbidden");
        Assert.That(editor.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM \"AspNetUsers\""), Is.Zero, "nothing was created");
    }

    [Test]
    public async Task Actions_on_accounts_without_a_county_go_to_the_platform_audit_log()
    {
        var admin = App.ClientAs("SystemAdmin");
        using var invited = await admin.PostAsJsonAsync("/api/system/users", new { email = "lm@lantmateriet.se", role = "NationalViewer" });
        var json = await JsonAsync(invited);
        Assert.That(invited.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        var id = json.GetProperty("user").GetProperty("id").GetString();
        using (var off = await admin.PutAsJsonAsync($"/api/system/users/{id}/active", new { isActive = false }))
            Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var log = (await GetJsonAsync(admin, "/api/system/audit")).GetProperty("items").EnumerateArray().ToArray();
        Assert.That(log.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString())),
            Is.EqualTo(new[] { ("user.deactivated", $"user:{id}"), ("user.invited", $"user:{id}") }));
        Assert.That(log[1].GetProperty("details").GetString(), Does.Contain("NationalViewer").And.Not.Contain("lm@lantmateriet.se"));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log"), Is.Zero, "in no county's log");
    }

    [Test]
    public async Task A_CountyAdmin_makes_an_editor_a_county_admin_and_back_which_ends_the_accounts_sessions()
    {
        var editor = await TestUsers.CreateAsync(App, "redaktor@lansstyrelsen.se", Roles.CountyEditor, "03");
        var theirs = await TestUsers.CreateAsync(App, "theirs@lansstyrelsen.se", Roles.CountyEditor, "01");
        var municipal = await TestUsers.CreateAsync(App, "kommun@uppsala.se", Roles.MunicipalUser, "03", municipality: "0380", password: null);
        var self = await TestUsers.CreateAsync(App, "jag@lansstyrelsen.se", Roles.CountyAdmin, "03");
        var admin = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala", userId: self.Id);
        await using var conn = await Database.OpenSuperuserAsync();
        await conn.ExecuteAsync("INSERT INTO auth_sessions (id, user_id, ticket, expires_at, absolute_expires_at) VALUES ('s1', @id, '\\x00', now() + interval '1 hour', now() + interval '8 hours')",
            new { id = editor.Id });

        using var promote = await admin.PutAsJsonAsync($"api/tenant/users/{editor.Id}/role", new { role = "CountyAdmin" });
        Assert.That(promote.StatusCode, Is.EqualTo(HttpStatusCode.OK), await promote.Content.ReadAsStringAsync());
        Assert.Multiple(async () =>
        {
            Assert.That((await JsonAsync(promote)).GetProperty("role").GetString(), Is.EqualTo("CountyAdmin"));
            Assert.That(await conn.ExecuteScalarAsync<string>("SELECT \"Role\" FROM \"AspNetUsers\" WHERE \"Id\" = @id", new { id = editor.Id }), Is.EqualTo("CountyAdmin"));
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM auth_sessions WHERE user_id = @id", new { id = editor.Id }), Is.Zero,
                "signed out everywhere: the new role (and TOTP for a CountyAdmin) applies from the next sign-in");
            Assert.That(await conn.ExecuteScalarAsync<string>("SELECT details::text FROM audit_log WHERE action = 'user.role_changed' AND tenant_id = '03'"),
                Does.Contain("\"from\": \"CountyEditor\"").And.Contain("\"to\": \"CountyAdmin\""));
        });

        using var back = await admin.PutAsJsonAsync($"api/tenant/users/{editor.Id}/role", new { role = "CountyEditor" });
        Assert.That((await JsonAsync(back)).GetProperty("role").GetString(), Is.EqualTo("CountyEditor"));

        // Refused, and nothing changes: another county's account, a municipal user, one's own role, a role that is not the county's.
        using var other = await admin.PutAsJsonAsync($"api/tenant/users/{theirs.Id}/role", new { role = "CountyAdmin" });
        using var muni = await admin.PutAsJsonAsync($"api/tenant/users/{municipal.Id}/role", new { role = "CountyEditor" });
        using var own = await admin.PutAsJsonAsync($"api/tenant/users/{self.Id}/role", new { role = "CountyEditor" });
        using var national = await admin.PutAsJsonAsync($"api/tenant/users/{editor.Id}/role", new { role = "SystemAdmin" });
        using var missing = await admin.PutAsJsonAsync($"api/tenant/users/{editor.Id}/role", new { });
        await AssertProblemAsync(other, 404, "not_found");
        await AssertProblemAsync(muni, 409, "role_not_changeable");
        await AssertProblemAsync(own, 409, "own_account");
        await AssertProblemAsync(national, 400, "validation");
        await AssertProblemAsync(missing, 400, "validation");
        Assert.That(await conn.ExecuteScalarAsync<string>(
            "SELECT string_agg(\"Email\" || '=' || \"Role\", ',' ORDER BY \"Email\") FROM \"AspNetUsers\""),
            Is.EqualTo("jag@lansstyrelsen.se=CountyAdmin,kommun@uppsala.se=MunicipalUser,redaktor@lansstyrelsen.se=CountyEditor,theirs@lansstyrelsen.se=CountyEditor"));
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'user.role_changed'"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_CountyAdmin_sees_and_manages_only_their_tenants_accounts()
    {
        var mine = await TestUsers.CreateAsync(App, "mine@lansstyrelsen.se", Roles.CountyEditor, "03");
        var theirs = await TestUsers.CreateAsync(App, "theirs@lansstyrelsen.se", Roles.CountyEditor, "01");
        var national = await TestUsers.CreateAsync(App, "lm@lantmateriet.se", Roles.NationalViewer);
        var admin = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");

        var list = await GetJsonAsync(admin, "api/tenant/users");
        using var offTheirs = await admin.PutAsJsonAsync($"api/tenant/users/{theirs.Id}/active", new { isActive = false });
        using var offNational = await admin.PutAsJsonAsync($"api/tenant/users/{national.Id}/active", new { isActive = false });
        using var offMine = await admin.PutAsJsonAsync($"api/tenant/users/{mine.Id}/active", new { isActive = false });

        Assert.That(list.EnumerateArray().Select(u => u.GetProperty("email").GetString()), Is.EqualTo(new[] { "mine@lansstyrelsen.se" }));
        await AssertProblemAsync(offTheirs, 404, "not_found");
        await AssertProblemAsync(offNational, 404, "not_found");
        Assert.That(offMine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM \"AspNetUsers\" WHERE \"IsActive\""), Is.EqualTo(2));
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action = 'user.deactivated' AND tenant_id = '03'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Password_reset_by_email_replaces_the_password_and_says_nothing_about_unknown_addresses()
    {
        await TestUsers.CreateAsync(App, "glomsk@lansstyrelsen.se", Roles.CountyEditor, "03");
        var browser = new Browser(App);
        await browser.SessionAsync();
        using (var unknown = await browser.PostAsync("/api/auth/password/forgot", new { email = "ingen@lansstyrelsen.se" }))
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        using (var known = await browser.PostAsync("/api/auth/password/forgot", new { email = "glomsk@lansstyrelsen.se" }))
            Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var (userId, token) = await LinkFromOutboxAsync("password_reset", "glomsk@lansstyrelsen.se");
        using (var tampered = await browser.PostAsync("/api/auth/password/reset", new { userId, token = token + "x", password = "ett helt nytt lösenord" }))
            await AssertProblemAsync(tampered, 400, "invalid_link");
        using (var reset = await browser.PostAsync("/api/auth/password/reset", new { userId, token, password = "ett helt nytt lösenord" }))
            Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await reset.Content.ReadAsStringAsync());

        using (var old = await browser.PostAsync("/api/auth/sign-in", new { email = "glomsk@lansstyrelsen.se", password = TestUsers.Password }))
            await AssertProblemAsync(old, 401, "sign_in_failed");
        Assert.That(await browser.SignInAsync("glomsk@lansstyrelsen.se", "ett helt nytt lösenord"), Is.EqualTo("signed_in"));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE kind = 'password_reset'"), Is.EqualTo(1),
            "only the known address got an e-mail");
    }
}
