using System.Net;
using Microsoft.AspNetCore.Hosting;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.AdminApp;

/// <summary>The API serves the SPA from the same origin: files, index.html for client routes, with the run-time base.</summary>
public sealed class AdminAppHostTests : ApiTest
{
    string _dir = "";
    PlatformFactory _app = null!;

    [OneTimeSetUp]
    public void CreateApp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vvd-spa-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_dir, "assets"));
        File.WriteAllText(Path.Combine(_dir, "index.html"),
            "<!doctype html><html><head><meta name=\"vvd-base\" content=\"\"><script type=\"module\" src=\"/assets/app-1.js\"></script></head><body></body></html>");
        File.WriteAllText(Path.Combine(_dir, "assets", "app-1.js"), "console.log(1)");
        File.WriteAllText(Path.Combine(_dir, "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        _app = new PlatformFactory(TestRun.Database, b => b.UseSetting("AdminApp:Path", _dir));
    }

    [OneTimeTearDown]
    public async Task DisposeApp()
    {
        await _app.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    [TestCase("/t/uppsala/", "/t/uppsala")]
    [TestCase("/t/uppsala/installningar", "/t/uppsala")]
    [TestCase("/t/vastra-gotaland/inbjudna/123", "/t/vastra-gotaland")]
    [TestCase("/", "")]
    [TestCase("/nationellt", "")]
    [TestCase("/rapporter", "")]
    public async Task Client_routes_get_the_page_with_the_run_time_base(string path, string expectedBase)
    {
        using var client = _app.ClientAs(null);
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain($"<meta name=\"vvd-base\" content=\"{expectedBase}\">"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.That(csp, Does.Contain("script-src 'self'").And.Not.Contain("unsafe-inline"));
        });
    }

    [Test]
    public async Task Host_mode_page_has_no_prefix()
    {
        using var client = _app.ClientAs(null, host: "uppsala.vagavaradigital.test");
        var html = await client.GetStringAsync("/installningar");
        Assert.That(html, Does.Contain("<meta name=\"vvd-base\" content=\"\">"));
    }

    [TestCase("/assets/app-1.js")]
    [TestCase("/t/uppsala/assets/app-1.js")]
    public async Task Hashed_assets_are_served_and_cached_for_a_year(string path)
    {
        using var client = _app.ClientAs(null);
        using var response = await client.GetAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(response.Headers.CacheControl?.ToString(), Does.Contain("immutable"));
        });
    }

    [Test]
    public async Task Other_files_are_served_but_revalidated()
    {
        using var client = _app.ClientAs(null);
        using var response = await client.GetAsync("/favicon.svg");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
        });
    }

    [TestCase("GET", "/assets/missing-2.js")]
    [TestCase("GET", "/api/does-not-exist")]
    [TestCase("GET", "/t/uppsala/api/does-not-exist")]
    [TestCase("GET", "/health/nothing")]
    [TestCase("GET", "/t/uppsala/r/")]
    [TestCase("GET", "/t/uppsala/j")]
    [TestCase("POST", "/installningar")]
    [TestCase("GET", "/../../etc/passwd.txt")]
    public async Task Api_paths_missing_files_and_writes_never_fall_back_to_the_page(string method, string path)
    {
        using var client = _app.ClientAs(null);
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await AssertProblemAsync(response, 404);
    }

    [Test]
    public async Task Unknown_tenant_is_a_404_problem_not_the_page()
    {
        using var client = _app.ClientAs(null);
        using var response = await client.GetAsync("/t/atlantis/");
        await AssertProblemAsync(response, 404, "tenant_not_found");
    }

    [Test]
    public async Task Missing_build_says_how_to_build_it()
    {
        await using var app = new PlatformFactory(TestRun.Database, b => b.UseSetting("AdminApp:Path", Path.Combine(_dir, "nope")));
        using var client = app.ClientAs(null);
        using var response = await client.GetAsync("/");
        await AssertProblemAsync(response, 404, "admin_app_missing");
    }

    [Test]
    public async Task Active_tenants_are_listed_publicly_for_the_county_picker()
    {
        using var client = App.ClientAs(null);
        var json = await GetJsonAsync(client, "/api/tenants");
        Assert.That(json.GetArrayLength(), Is.EqualTo(21));
        var first = json[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("id").GetString(), Is.EqualTo("01"));
            Assert.That(first.GetProperty("slug").GetString(), Is.EqualTo("stockholm"));
            Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "id", "slug", "name" }));
        });

        await Database.ExecuteAsSuperuserAsync("UPDATE tenants SET is_active = false WHERE id = '09'");
        var after = await GetJsonAsync(client, "/api/tenants");
        Assert.That(after.EnumerateArray().Select(t => t.GetProperty("id").GetString()), Does.Not.Contain("09"));
    }
}
