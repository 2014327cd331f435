using System.Net;
using System.Net.Http.Json;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>TOTP: mandatory for SystemAdmin, NationalViewer and CountyAdmin; enrolment at first sign-in; recovery codes.</summary>
public sealed class MfaTests : ApiTest
{
    [TestCase(Roles.SystemAdmin, null, "mfa_enrolment_required")]
    [TestCase(Roles.NationalViewer, null, "mfa_enrolment_required")]
    [TestCase(Roles.CountyAdmin, "03", "mfa_enrolment_required")]
    [TestCase(Roles.CountyEditor, "03", "signed_in")]
    [TestCase(Roles.MunicipalUser, "03", "signed_in")]
    public async Task MFA_is_enforced_per_role(string role, string? tenant, string expected)
    {
        await TestUsers.CreateAsync(App, "person@lansstyrelsen.se", role, tenant, role == Roles.MunicipalUser ? "0380" : null);
        var browser = new Browser(App);
        Assert.That(await browser.SignInAsync("person@lansstyrelsen.se", TestUsers.Password), Is.EqualTo(expected));
        Assert.That((await browser.SessionAsync()).GetProperty("authenticated").GetBoolean(), Is.EqualTo(expected == "signed_in"));
    }

    [Test]
    public async Task Demo_accounts_still_need_MFA_outside_Development()
    {
        await TestUsers.CreateAsync(App, "demo@lansstyrelsen.se", Roles.CountyAdmin, "03", isDemo: true);
        Assert.That(await new Browser(App).SignInAsync("demo@lansstyrelsen.se", TestUsers.Password), Is.EqualTo("mfa_enrolment_required"));
    }

    [Test]
    public async Task Between_password_and_second_factor_nothing_is_accessible()
    {
        await TestUsers.CreateAsync(App, "admin@lansstyrelsen.se", Roles.CountyAdmin, "03");
        var browser = new Browser(App);
        await browser.SignInAsync("admin@lansstyrelsen.se", TestUsers.Password);

        using var settings = await browser.Client.GetAsync("/t/uppsala/api/tenant/settings");
        await AssertProblemAsync(settings, 401, "unauthenticated");
        Assert.That((await browser.SessionAsync()).GetProperty("pending").GetString(), Is.EqualTo("mfa_enrolment_required"));
    }

    [Test]
    public async Task Enrolment_then_TOTP_sign_in_then_a_recovery_code_once()
    {
        await TestUsers.CreateAsync(App, "admin@lansstyrelsen.se", Roles.CountyAdmin, "03");
        var first = new Browser(App);
        var (key, codes) = await TestUsers.EnrolAsync(first, "admin@lansstyrelsen.se");
        Assert.That(codes, Has.Length.EqualTo(10));
        using (var settings = await first.Client.GetAsync("/t/uppsala/api/tenant/settings"))
            Assert.That(settings.StatusCode, Is.EqualTo(HttpStatusCode.OK), "signed in after enrolment");

        // Next time: password, then the code.
        var second = new Browser(App);
        Assert.That(await second.SignInAsync("admin@lansstyrelsen.se", TestUsers.Password), Is.EqualTo("mfa_required"));
        using (var wrong = await second.PostAsync("/api/auth/mfa/verify", new { code = "000000" == TestUsers.Totp(key, 1) ? "111111" : "000000" }))
            await AssertProblemAsync(wrong, 401, "mfa_failed");
        using (var right = await second.PostAsync("/api/auth/mfa/verify", new { code = TestUsers.Totp(key, 1) }))
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK), await right.Content.ReadAsStringAsync());
        Assert.That((await second.SessionAsync()).GetProperty("user").GetProperty("role").GetString(), Is.EqualTo("CountyAdmin"));

        // A recovery code instead of the app, once.
        var third = new Browser(App);
        await third.SignInAsync("admin@lansstyrelsen.se", TestUsers.Password);
        using (var recovery = await third.PostAsync("/api/auth/mfa/verify", new { recoveryCode = codes[0] }))
            Assert.That(recovery.StatusCode, Is.EqualTo(HttpStatusCode.OK), await recovery.Content.ReadAsStringAsync());
        var fourth = new Browser(App);
        await fourth.SignInAsync("admin@lansstyrelsen.se", TestUsers.Password);
        using (var reused = await fourth.PostAsync("/api/auth/mfa/verify", new { recoveryCode = codes[0] }))
            await AssertProblemAsync(reused, 401, "mfa_failed");
    }

    [Test]
    public async Task The_MFA_step_cannot_be_skipped_by_calling_verify_without_a_password()
    {
        await TestUsers.CreateAsync(App, "admin@lansstyrelsen.se", Roles.CountyAdmin, "03");
        var browser = new Browser(App);
        await browser.SessionAsync();
        using var verify = await browser.PostAsync("/api/auth/mfa/verify", new { code = "123456" });
        await AssertProblemAsync(verify, 401, "mfa_session_missing");
        using var enrol = await browser.PostAsync("/api/auth/mfa/enrolment", new { });
        await AssertProblemAsync(enrol, 401, "mfa_session_missing");
    }
}
