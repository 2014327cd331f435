using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// The SPA session's two clocks, on a host whose <see cref="TimeProvider"/> the test moves (the cookie handler and
/// the server-side session store both read it): sliding idle expiry, and an absolute limit sliding cannot pass.
/// </summary>
public sealed class SessionLifetimeTests : ApiTest
{
    const string Editor = "handlaggare@lansstyrelsen.se";

    static PlatformFactory Host(FakeTimeProvider clock) => new(Database, b =>
    {
        b.UseSetting("Identity:SessionIdleTimeout", "00:30:00");
        b.UseSetting("Identity:SessionAbsoluteLifetime", "02:00:00");
        b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock));
    });

    static async Task<bool> SignedInAsync(Browser browser) =>
        (await browser.SessionAsync()).GetProperty("authenticated").GetBoolean();

    [Test]
    public async Task Activity_slides_the_session_but_never_past_the_absolute_limit()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = Host(clock);
        await TestUsers.CreateAsync(app, Editor, Roles.CountyEditor, "03");
        var browser = new Browser(app);
        Assert.That(await browser.SignInAsync(Editor, TestUsers.Password), Is.EqualTo("signed_in"));

        // A request every 20 minutes keeps a 30-minute idle session alive…
        for (var minutes = 20; minutes <= 100; minutes += 20)
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            Assert.That(await SignedInAsync(browser), Is.True, $"still signed in after {minutes} minutes of activity");
        }
        clock.Advance(TimeSpan.FromMinutes(19));
        Assert.That(await SignedInAsync(browser), Is.True, "119 minutes: inside the absolute limit");

        // …until two hours after sign-in, however recent the last request was.
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That(await SignedInAsync(browser), Is.False, "121 minutes: past the absolute limit, 2 minutes after the last request");
        await using var conn = await Database.OpenSuperuserAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM auth_sessions WHERE expires_at > absolute_expires_at", conn);
        Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.Zero, "no renewal was stored past the absolute limit");
    }

    [Test]
    public async Task A_session_left_idle_longer_than_the_idle_timeout_ends()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = Host(clock);
        await TestUsers.CreateAsync(app, Editor, Roles.CountyEditor, "03");
        var browser = new Browser(app);
        Assert.That(await browser.SignInAsync(Editor, TestUsers.Password), Is.EqualTo("signed_in"));

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.That(await SignedInAsync(browser), Is.True);
        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.That(await SignedInAsync(browser), Is.False, "31 minutes without a request");
    }
}

/// <summary>Demo accounts (./run.sh) skip MFA only when the host runs in Development.</summary>
public sealed class DemoMfaTests : ApiTest
{
    [TestCase("Development", "signed_in")]
    [TestCase("Production", "mfa_enrolment_required")]
    public async Task A_demo_CountyAdmin_needs_no_second_factor_in_Development_only(string environment, string expected)
    {
        await using var app = new PlatformFactory(Database, b =>
        {
            b.UseEnvironment(environment);
            b.UseSetting("Database:MigrateOnStartup", "false");
            b.UseSetting("Invitees:PersonKeySecret", "en-hemlighet-for-testets-produktionsvard-0123456789");
        });
        await TestUsers.CreateAsync(app, "demo-admin@lansstyrelsen.se", Roles.CountyAdmin, "03", isDemo: true);
        await TestUsers.CreateAsync(app, "riktig-admin@lansstyrelsen.se", Roles.CountyAdmin, "03");

        Assert.Multiple(async () =>
        {
            Assert.That(await new Browser(app).SignInAsync("demo-admin@lansstyrelsen.se", TestUsers.Password), Is.EqualTo(expected));
            Assert.That(await new Browser(app).SignInAsync("riktig-admin@lansstyrelsen.se", TestUsers.Password), Is.EqualTo("mfa_enrolment_required"),
                "an ordinary account needs MFA in every environment");
        });
    }
}
