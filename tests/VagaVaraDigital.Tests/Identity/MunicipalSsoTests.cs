using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Web;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// A real OpenID Connect round trip across two processes: a minimal provider (tests/support/…OidcTestProvider)
/// runs on another loopback port as a municipality's login; a CountyAdmin configures it for Knivsta's domain; a
/// person signs in through it and lands as MunicipalUser of Knivsta in Uppsala county.
/// </summary>
public sealed class MunicipalSsoTests : ApiTest
{
    static Process? _provider;
    static string _issuer = "";
    static readonly HttpClient ProviderHttp = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    [OneTimeSetUp]
    public async Task StartProviderAsync()
    {
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);   // …/tests/VagaVaraDigital.Tests/bin/<Config>/net10.0
        var configuration = testDir.Parent!.Name;
        var root = testDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "VagaVaraDigital.sln"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, "tests", "support", "VagaVaraDigital.OidcTestProvider", "bin", configuration, "net10.0",
            "VagaVaraDigital.OidcTestProvider.dll");
        Assert.That(File.Exists(dll), Is.True, $"build the solution first: {dll}");

        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
        _issuer = $"http://127.0.0.1:{port}/";
        _provider = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{port}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_NOLOGO"] = "1" },
        })!;
        _provider.OutputDataReceived += (_, _) => { };
        _provider.ErrorDataReceived += (_, _) => { };
        _provider.BeginOutputReadLine();
        _provider.BeginErrorReadLine();
        for (var i = 0; i < 150; i++)
        {
            try
            {
                using var r = await ProviderHttp.GetAsync(_issuer + ".well-known/openid-configuration");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (_provider.HasExited) break;
            await Task.Delay(200);
        }
        Assert.Fail("the test OIDC provider did not start");
    }

    [OneTimeTearDown]
    public void StopProvider()
    {
        if (_provider is { HasExited: false }) _provider.Kill(entireProcessTree: true);
        _provider?.Dispose();
    }

    /// <summary>CountyAdmin of Uppsala configures the provider for knivsta.se → Knivsta (0330); the provider learns our redirect URI.</summary>
    static async Task<string> ConfigureKnivstaAsync()
    {
        var admin = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");
        var clientId = $"vvd-{Guid.NewGuid():N}";
        using var created = await admin.PostAsJsonAsync("api/tenant/sso-providers", new
        {
            displayName = "Knivsta kommun", issuer = _issuer, clientId, clientSecret = "knivsta-hemlighet-123",
            domains = new[] { new { domain = "knivsta.se", municipalityCode = "0330" } },
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var json = await JsonAsync(created);
        var redirectUri = json.GetProperty("redirectUri").GetString()!.Replace("http://localhost", "https://localhost", StringComparison.Ordinal);
        using var registered = await ProviderHttp.PostAsJsonAsync(_issuer + "test/clients", new { clientId, clientSecret = "knivsta-hemlighet-123", redirectUri });
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        return json.GetProperty("id").GetString()!;
    }

    /// <summary>Browser → our start → provider (signs in login_hint) → the callback URL the provider sends the browser to.</summary>
    static async Task<Uri> ThroughProviderAsync(Browser browser, string startUrl)
    {
        using var start = await browser.Client.GetAsync(startUrl);
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await start.Content.ReadAsStringAsync());
        var authorize = start.Headers.Location!;
        Assert.That(authorize.GetLeftPart(UriPartial.Path), Is.EqualTo(_issuer + "authorize"));
        using var provider = await ProviderHttp.GetAsync(authorize);
        Assert.That(provider.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await provider.Content.ReadAsStringAsync());
        return provider.Headers.Location!;
    }

    [Test]
    public async Task A_municipal_employee_signs_in_through_their_organisations_provider_and_lands_as_MunicipalUser()
    {
        var providerId = await ConfigureKnivstaAsync();
        var browser = new Browser(App);
        await browser.SessionAsync();

        using var discover = await browser.PostAsync("/api/auth/discover", new { email = "anna.andersson@knivsta.se" });
        var discovered = await JsonAsync(discover);
        Assert.That(discovered.GetProperty("method").GetString(), Is.EqualTo("sso"));
        using var other = await browser.PostAsync("/api/auth/discover", new { email = "someone@lansstyrelsen.se" });
        Assert.That((await JsonAsync(other)).GetProperty("method").GetString(), Is.EqualTo("password"));

        var callback = await ThroughProviderAsync(browser, discovered.GetProperty("startUrl").GetString()!);
        Assert.That(callback.AbsolutePath, Is.EqualTo($"/signin-oidc/{Guid.Parse(providerId):N}"), "this provider's own redirect URI");
        using var landed = await browser.Client.GetAsync(callback);
        Assert.That(landed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await landed.Content.ReadAsStringAsync());
        Assert.That(landed.Headers.Location!.OriginalString, Is.EqualTo("/t/uppsala/"));

        var user = (await browser.SessionAsync()).GetProperty("user");
        Assert.Multiple(() =>
        {
            Assert.That(user.GetProperty("role").GetString(), Is.EqualTo("MunicipalUser"));
            Assert.That(user.GetProperty("tenantId").GetString(), Is.EqualTo("03"));
            Assert.That(user.GetProperty("municipalityCode").GetString(), Is.EqualTo("0330"));
        });
        using (var tenant = await browser.Client.GetAsync("/t/uppsala/api/tenant"))
            Assert.That(tenant.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var settings = await browser.Client.GetAsync("/t/uppsala/api/tenant/settings"))
            Assert.That(settings.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a municipal user is no county admin");

        // The second time: the same account, found by (provider, subject).
        var again = new Browser(App);
        await again.SessionAsync();
        using (var second = await again.Client.GetAsync(await ThroughProviderAsync(again, discovered.GetProperty("startUrl").GetString()!)))
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM \"AspNetUsers\""), Is.EqualTo(1));
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM \"AspNetUserLogins\" WHERE \"LoginProvider\" = @p", new { p = Guid.Parse(providerId).ToString("N") }), Is.EqualTo(1));
        var actions = (await conn.QueryAsync<string>("SELECT action FROM audit_log WHERE tenant_id = '03' ORDER BY id")).ToArray();
        Assert.That(actions, Does.Contain("user.provisioned"));
        Assert.That(actions.Count(a => a == "user.signed_in"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_provider_removed_on_another_instance_is_dropped_at_the_next_refresh_while_requests_keep_being_answered()
    {
        var providerId = await ConfigureKnivstaAsync();
        var browser = new Browser(App);
        await browser.SessionAsync();
        using (var before = await browser.PostAsync("/api/auth/discover", new { email = "anna@knivsta.se" }))
            Assert.That((await JsonAsync(before)).GetProperty("method").GetString(), Is.EqualTo("sso"));

        // Another instance deletes the provider: only the database knows.
        await using (var conn = await Database.OpenSuperuserAsync())
            await conn.ExecuteAsync("DELETE FROM sso_providers WHERE id = @id", new { id = Guid.Parse(providerId) });

        // The periodic refresh (what SsoCatalogRefresher does) rebuilds the OpenIddict client's options, which every
        // request reads; requests during the reload must all be answered (this once hung the browser tests).
        var catalog = App.Services.GetRequiredService<VagaVaraDigital.Api.Identity.Sso.SsoCatalog>();
        var clients = Enumerable.Range(0, 16).Select(_ => App.ClientAs(null)).ToArray();
        var requests = clients.Select(async c => { using var r = await c.GetAsync("/api/auth/session"); return r.StatusCode; }).ToList();
        var reload = catalog.ReloadAsync();
        var statuses = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromMinutes(2));
        await reload.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK));

        Assert.That(catalog.Current.Select(p => p.Id), Does.Not.Contain(Guid.Parse(providerId)));
        using (var after = await browser.PostAsync("/api/auth/discover", new { email = "anna@knivsta.se" }))
            Assert.That((await JsonAsync(after)).GetProperty("method").GetString(), Is.EqualTo("password"));
        using var start = await browser.Client.GetAsync($"/api/auth/sso/{providerId}/start");
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task An_address_whose_domain_maps_to_no_municipality_is_refused_with_a_Swedish_message()
    {
        var providerId = await ConfigureKnivstaAsync();
        var browser = new Browser(App);
        var callback = await ThroughProviderAsync(browser, $"/api/auth/sso/{providerId}/start?login_hint=bo@okand-kommun.se");
        using var refused = await browser.Client.GetAsync(callback);

        var problem = await AssertProblemAsync(refused, 403, "sso_domain_not_mapped");
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Din organisation är inte ansluten"));
        Assert.That((await browser.SessionAsync()).GetProperty("authenticated").GetBoolean(), Is.False);
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM \"AspNetUsers\""), Is.Zero);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE tenant_id = '03' AND action = 'user.sso_refused'"), Is.EqualTo(1));
    }

    [TestCase("state")]
    [TestCase("iss")]
    [TestCase("code")]
    public async Task A_tampered_state_or_a_response_from_another_issuer_fails(string parameter)
    {
        var providerId = await ConfigureKnivstaAsync();
        var browser = new Browser(App);
        var callback = await ThroughProviderAsync(browser, $"/api/auth/sso/{providerId}/start?login_hint=anna@knivsta.se");
        var query = HttpUtility.ParseQueryString(callback.Query);
        Assert.That(query[parameter], Is.Not.Null, $"the callback carries {parameter}");
        query[parameter] = parameter switch
        {
            "iss" => "https://evil.example/",
            "state" => query["state"]![..^4] + "AAAA",
            _ => query[parameter] + "x",
        };
        using var response = await browser.Client.GetAsync(new UriBuilder(callback) { Query = query.ToString() }.Uri);

        Assert.That((int)response.StatusCode, Is.InRange(400, 499), await response.Content.ReadAsStringAsync());
        Assert.That((await browser.SessionAsync()).GetProperty("authenticated").GetBoolean(), Is.False);
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM \"AspNetUsers\""), Is.Zero);
    }

    [Test]
    public async Task A_CountyAdmin_maps_only_their_own_countys_municipalities_and_a_domain_only_once()
    {
        await ConfigureKnivstaAsync();
        var admin = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");
        using var otherCounty = await admin.PostAsJsonAsync("api/tenant/sso-providers", new
        {
            displayName = "Solna", issuer = "https://login.solna.se/", clientId = "x", clientSecret = "y",
            domains = new[] { new { domain = "solna.se", municipalityCode = "0184" } },
        });
        using var taken = await App.ClientAs("CountyAdmin", "01", tenantSlug: "stockholm").PostAsJsonAsync("api/tenant/sso-providers", new
        {
            displayName = "Knivsta igen", issuer = "https://login.example.se/", clientId = "x", clientSecret = "y",
            domains = new[] { new { domain = "knivsta.se", municipalityCode = "0180" } },
        });
        var list = await GetJsonAsync(admin, "api/tenant/sso-providers");

        await AssertProblemAsync(otherCounty, 400, "validation");
        await AssertProblemAsync(taken, 409, "sso_domain_taken");
        Assert.That(list.EnumerateArray().Single().GetProperty("hasClientSecret").GetBoolean(), Is.True);
        Assert.That(list.ToString(), Does.Not.Contain("knivsta-hemlighet"), "the secret is never returned");
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT protected_client_secret FROM sso_providers"), Does.Not.Contain("knivsta-hemlighet"),
            "encrypted at rest");
    }
}
