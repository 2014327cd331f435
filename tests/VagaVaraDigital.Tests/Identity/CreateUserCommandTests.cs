using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using System.Web;
using Dapper;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// <c>vvd create-user</c>, the real command in its own process against the test database: the first SystemAdmin
/// opens the printed link, chooses a password, enrols TOTP and is signed in as SystemAdmin.
/// </summary>
public sealed partial class CreateUserCommandTests : ApiTest
{
    static async Task<(int Exit, string Output, string Error)> VvdAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment =
            {
                ["ConnectionStrings__Postgres"] = Database.AppConnectionString,
                ["ConnectionStrings__PostgresMigrations"] = Database.OwnerConnectionString,
                ["ASPNETCORE_ENVIRONMENT"] = "Development", ["DOTNET_NOLOGO"] = "1",
            },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vvd.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Test]
    public async Task The_first_SystemAdmin_is_created_by_the_command_and_signs_in_with_password_and_TOTP()
    {
        var (exit, output, error) = await VvdAsync("create-user", "--email", "drift@vagavaradigital.se", "--role", "SystemAdmin",
            "--name", "Driften", "--origin", "https://localhost");
        Assert.That(exit, Is.Zero, output + error);
        var link = Link().Match(output);
        Assert.That(link.Success, Is.True, output);
        var query = HttpUtility.ParseQueryString(new Uri(link.Value).Query);

        // A host started after the command: it reads the Data Protection key ring the command wrote to PostgreSQL
        // (the shared host cached its own ring before this test reset the database).
        await using var app = new PlatformFactory(Database);
        var browser = new Browser(app);
        await browser.SessionAsync();
        using (var accept = await browser.PostAsync("/api/auth/invitations/accept",
                   new { userId = query["anvandare"], token = query["kod"], password = "första driftkontot på plattformen" }))
            Assert.That(accept.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await accept.Content.ReadAsStringAsync());

        var (_, codes) = await TestUsers.EnrolAsync(browser, "drift@vagavaradigital.se", "första driftkontot på plattformen");
        Assert.That(codes, Is.Not.Empty);
        var session = await browser.SessionAsync();
        Assert.That(session.GetProperty("user").GetProperty("role").GetString(), Is.EqualTo("SystemAdmin"));
        using var tenants = await browser.Client.GetAsync("/api/system/tenants");
        Assert.That(tenants.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the new SystemAdmin manages tenants");
    }

    [Test]
    public async Task The_command_refuses_a_county_role_without_a_tenant_and_a_second_account_for_the_same_address()
    {
        var noTenant = await VvdAsync("create-user", "--email", "chef@lansstyrelsen.se", "--role", "CountyAdmin");
        var first = await VvdAsync("create-user", "--email", "drift@vagavaradigital.se");
        var again = await VvdAsync("create-user", "--email", "drift@vagavaradigital.se");

        Assert.Multiple(() =>
        {
            Assert.That(noTenant.Exit, Is.EqualTo(2), noTenant.Error);
            Assert.That(noTenant.Error, Does.Contain("--tenant"));
            Assert.That(first.Exit, Is.Zero, first.Error);
            Assert.That(again.Exit, Is.EqualTo(1), again.Output);
        });
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.QueryAsync<string>("SELECT \"Role\" FROM \"AspNetUsers\""), Is.EqualTo(new[] { "SystemAdmin" }));
    }

    [Test]
    public async Task Oidc_keys_rotate_adds_keys_that_take_over_later_and_retires_the_current_ones_after_a_grace_period()
    {
        await using (var app = new PlatformFactory(Database))
        {
            using var jwks = await app.CreateClient().GetAsync("https://localhost/.well-known/jwks");   // the first keys
            Assert.That(jwks.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        var (exit, output, error) = await VvdAsync("oidc-keys", "rotate", "--activate-after", "00:10:00", "--retire-after", "1.00:00:00");
        Assert.That(exit, Is.Zero, output + error);

        await using var conn = await Database.OpenSuperuserAsync();
        var keys = (await conn.QueryAsync<(string Use, bool Waiting, bool Retiring)>("""
            SELECT use, activates_at > now() + interval '9 minutes', coalesce(retired_at > now() + interval '1 day', false) FROM oidc_keys ORDER BY created_at, use
            """)).ToArray();
        Assert.That(keys, Is.EqualTo(new[] { ("enc", false, true), ("sig", false, true), ("enc", true, false), ("sig", true, false) }), output);
    }

    [Test]
    public async Task Rotating_keys_that_would_sign_before_every_instance_has_them_is_refused()
    {
        // The default refresh interval is a minute: new keys must wait at least two.
        var (exit, output, error) = await VvdAsync("oidc-keys", "rotate", "--activate-after", "00:01:00");
        Assert.That(exit, Is.EqualTo(2), output + error);
        Assert.That(error, Does.Contain("--activate-after måste vara minst 00:02:00"));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM oidc_keys WHERE activates_at > now()"), Is.Zero, "nothing rotated");
    }

    [GeneratedRegex(@"https://localhost/konto/aktivera\?\S+")]
    private static partial Regex Link();
}
