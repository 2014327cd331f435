using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>The SPA's cookie session, for real: sign-in, cookie flags, antiforgery, lockout, sign-out.</summary>
public sealed class SignInTests : ApiTest
{
    const string Editor = "handlaggare@lansstyrelsen.se";

    [Test]
    public async Task Session_cookie_is_host_prefixed_secure_httponly_and_samesite_strict()
    {
        var user = await TestUsers.CreateAsync(App, Editor, Roles.CountyEditor, "03");
        var browser = new Browser(App);
        await browser.SessionAsync();
        using var response = await browser.PostAsync("/api/auth/sign-in", new { email = Editor, password = TestUsers.Password });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-vvd=", StringComparison.Ordinal)).ToLowerInvariant();
        await using var conn = await Database.OpenSuperuserAsync();
        var sessions = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM auth_sessions WHERE user_id = @Id", new { user.Id });
        Assert.Multiple(() =>
        {
            Assert.That(sessions, Is.EqualTo(1), "the ticket is kept on the server");
            Assert.That(cookie, Does.Contain("; secure").And.Contain("; httponly").And.Contain("; samesite=strict").And.Contain("; path=/"));
            Assert.That(cookie, Does.Not.Contain("domain="));
            Assert.That(cookie, Does.Not.Contain("expires="), "a session cookie, not a persistent one");
        });
    }

    [Test]
    public async Task A_signed_in_editor_gets_their_tenant_and_role_and_exactly_the_editor_rights()
    {
        await TestUsers.CreateAsync(App, Editor, Roles.CountyEditor, "03");
        var browser = new Browser(App);
        Assert.That(await browser.SignInAsync(Editor, TestUsers.Password), Is.EqualTo("signed_in"));

        var session = await browser.SessionAsync();
        var user = session.GetProperty("user");
        using var tenant = await browser.Client.GetAsync("/t/uppsala/api/tenant");
        using var audit = await browser.Client.GetAsync("/t/uppsala/api/audit");
        using var otherTenant = await browser.Client.GetAsync("/t/stockholm/api/tenant");
        using var system = await browser.Client.GetAsync("/api/system/tenants");

        Assert.Multiple(() =>
        {
            Assert.That(session.GetProperty("authenticated").GetBoolean(), Is.True);
            Assert.That(user.GetProperty("role").GetString(), Is.EqualTo("CountyEditor"));
            Assert.That(user.GetProperty("tenantId").GetString(), Is.EqualTo("03"));
            Assert.That(user.GetProperty("tenantSlug").GetString(), Is.EqualTo("uppsala"));
            Assert.That(tenant.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(audit.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the audit log is CountyAdmin's");
            Assert.That(otherTenant.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "another county");
            Assert.That(system.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task Unsafe_requests_without_the_antiforgery_token_are_refused()
    {
        await TestUsers.CreateAsync(App, "admin@lansstyrelsen.se", Roles.CountyAdmin, "03", isDemo: false);
        await TestUsers.CreateAsync(App, Editor, Roles.CountyEditor, "03");

        // The sign-in step itself (login CSRF).
        var anonymous = new Browser(App);
        using var noToken = await anonymous.Client.PostAsJsonAsync("/api/auth/sign-in", new { email = Editor, password = TestUsers.Password });
        await AssertProblemAsync(noToken, 400, "antiforgery");

        // A signed-in session: a write without the header, or with a forged one, changes nothing.
        var browser = new Browser(App);
        await browser.SignInAsync(Editor, TestUsers.Password);
        var token = browser.AntiforgeryToken;
        browser.UseToken(null);
        using var withoutHeader = await browser.Client.PostAsJsonAsync("/api/auth/sign-out", new { });
        browser.UseToken("forged");
        using var forged = await browser.Client.PostAsJsonAsync("/api/auth/sign-out", new { });
        await AssertProblemAsync(withoutHeader, 400, "antiforgery");
        await AssertProblemAsync(forged, 400, "antiforgery");
        browser.UseToken(token);
        Assert.That((await browser.SessionAsync()).GetProperty("authenticated").GetBoolean(), Is.True, "still signed in");
    }

    [Test]
    public async Task Unknown_user_and_wrong_password_get_the_same_answer()
    {
        await TestUsers.CreateAsync(App, Editor, Roles.CountyEditor, "03");
        var browser = new Browser(App);
        await browser.SessionAsync();
        using var unknown = await browser.PostAsync("/api/auth/sign-in", new { email = "ingen@lansstyrelsen.se", password = TestUsers.Password });
        using var wrong = await browser.PostAsync("/api/auth/sign-in", new { email = Editor, password = "fel lösenord men långt" });

        var a = await AssertProblemAsync(unknown, 401, "sign_in_failed");
        var b = await AssertProblemAsync(wrong, 401, "sign_in_failed");
        Assert.That(a.GetProperty("detail").GetString(), Is.EqualTo(b.GetProperty("detail").GetString()));
        Assert.That(a.GetProperty("title").GetString(), Is.EqualTo(b.GetProperty("title").GetString()));
    }

    [Test]
    public async Task Repeated_failures_lock_the_account_even_for_the_right_password_and_are_audited()
    {
        var user = await TestUsers.CreateAsync(App, Editor, Roles.CountyEditor, "03");
        var browser = new Browser(App);
        await browser.SessionAsync();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await browser.PostAsync("/api/auth/sign-in", new { email = Editor, password = $"fel lösenord nummer {i}" });
            await AssertProblemAsync(wrong, 401, "sign_in_failed");
        }
        using var right = await browser.PostAsync("/api/auth/sign-in", new { email = Editor, password = TestUsers.Password });
        await AssertProblemAsync(right, 401, "sign_in_failed");

        await using var conn = await Database.OpenSuperuserAsync();
        var actions = (await conn.QueryAsync<string>("SELECT action FROM audit_log WHERE target = @t ORDER BY id", new { t = $"user:{user.Id}" })).ToArray();
        Assert.That(actions, Does.Contain("user.locked_out"));
        Assert.That(actions.Count(a => a == "user.sign_in_failed"), Is.EqualTo(4));
        Assert.That(actions, Does.Not.Contain("user.signed_in"));
    }

    [Test]
    public async Task Sign_out_ends_the_session_on_the_server_so_a_copied_cookie_is_worthless()
    {
        await TestUsers.CreateAsync(App, Editor, Roles.CountyEditor, "03");
        var browser = new Browser(App);
        await browser.SignInAsync(Editor, TestUsers.Password);
        using var signedIn = await browser.PostAsync("/api/auth/sign-in", new { email = Editor, password = TestUsers.Password });
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-vvd=", StringComparison.Ordinal)).Split(';')[0];

        using var signOut = await browser.PostAsync("/api/auth/sign-out", new { });
        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var thief = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        { BaseAddress = new Uri("https://localhost/"), HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/t/uppsala/api/tenant/settings");
        request.Headers.Add("Cookie", cookie);
        using var replay = await thief.SendAsync(request);
        await AssertProblemAsync(replay, 401, "unauthenticated");
        Assert.That((await browser.SessionAsync()).GetProperty("authenticated").GetBoolean(), Is.False);
    }

    [Test]
    public async Task A_deactivated_account_loses_its_sessions_and_cannot_sign_in()
    {
        var user = await TestUsers.CreateAsync(App, Editor, Roles.CountyEditor, "03");
        var browser = new Browser(App);
        await browser.SignInAsync(Editor, TestUsers.Password);

        using var off = await App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala").PutAsJsonAsync($"api/tenant/users/{user.Id}/active", new { isActive = false });
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK), await off.Content.ReadAsStringAsync());

        Assert.That((await browser.SessionAsync()).GetProperty("authenticated").GetBoolean(), Is.False);
        using var again = await browser.PostAsync("/api/auth/sign-in", new { email = Editor, password = TestUsers.Password });
        await AssertProblemAsync(again, 401, "sign_in_failed");
    }
}

/// <summary>Rate limiting of the sign-in steps, on a host of its own with a small limit.</summary>
public sealed class SignInRateLimitTests : ApiTest
{
    [Test]
    public async Task Sign_in_attempts_beyond_the_limit_get_429()
    {
        await using var app = new PlatformFactory(Database, b =>
        {
            b.UseSetting("Identity:SignInPermitLimit", "3");
            b.UseSetting("Identity:SignInWindow", "01:00:00");
        });
        var browser = new Browser(app);
        await browser.SessionAsync();
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await browser.PostAsync("/api/auth/sign-in", new { email = "ingen@lansstyrelsen.se", password = "fel lösenord men långt" });
            statuses.Add((int)r.StatusCode);
            if (i == 3) await AssertProblemAsync(r, 429, "rate_limited");
        }
        Assert.That(statuses, Is.EqualTo(new[] { 401, 401, 401, 429 }));
    }

    [Test]
    public async Task Steps_naming_one_account_are_limited_per_account_whatever_their_client_address()
    {
        await using var app = new PlatformFactory(Database, b =>
        {
            b.UseSetting("Identity:SignInAccountPermitLimit", "2");
            b.UseSetting("Identity:SignInWindow", "01:00:00");
        });
        async Task<int> StepAsync(string url, string email)
        {
            var browser = new Browser(app);   // a new session each time; the per-address limit is PlatformFactory's, out of reach
            await browser.SessionAsync();
            using var r = await browser.PostAsync(url, new { email, password = "fel lösenord men långt" });
            if (r.StatusCode == System.Net.HttpStatusCode.TooManyRequests) await AssertProblemAsync(r, 429, "rate_limited");
            return (int)r.StatusCode;
        }

        var target = new[]
        {
            await StepAsync("/api/auth/sign-in", "chef@lansstyrelsen.se"),
            await StepAsync("/api/auth/password/forgot", " Chef@Lansstyrelsen.se "),
            await StepAsync("/api/auth/sign-in", "CHEF@lansstyrelsen.se"),
            await StepAsync("/api/auth/discover", "chef@lansstyrelsen.se"),
        };
        var other = await StepAsync("/api/auth/sign-in", "annan@lansstyrelsen.se");

        Assert.That(target[0], Is.EqualTo(401));
        Assert.That(target[2..], Is.EqualTo(new[] { 429, 429 }), "the account's third and fourth step, in any spelling of the address");
        Assert.That(other, Is.EqualTo(401), "another account is not held up");
    }
}
