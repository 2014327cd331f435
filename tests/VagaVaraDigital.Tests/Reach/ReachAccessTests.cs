using System.Net;
using VagaVaraDigital.Api.Features.Reach;

namespace VagaVaraDigital.Tests.Reach;

/// <summary>Who may read which report: the role matrix of issue 8.</summary>
public sealed class ReachAccessTests : ReachTest
{
    static readonly string[] CountyUrls = ["api/reach", "api/reach/export.csv", "api/reach/export.xlsx"];
    static readonly string[] NationalUrls =
        ["api/national/reach", "api/national/reach/counties", "api/national/reach/counties/03", "api/national/reach/export.csv",
         "api/national/reach/export.xlsx", "api/national/reach/target"];

    [TestCase("CountyAdmin", 200)]
    [TestCase("CountyEditor", 200)]
    [TestCase("MunicipalUser", 200)]
    [TestCase("SystemAdmin", 200)]
    [TestCase("NationalViewer", 403)]
    [TestCase(null, 401)]
    public async Task County_report(string? role, int status)
    {
        foreach (var url in CountyUrls)
        {
            using var response = await Client(role, role is "SystemAdmin" or "NationalViewer" ? null : "03", "0380", "uppsala").GetAsync(url);
            Assert.That((int)response.StatusCode, Is.EqualTo(status), $"{role} {url}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [TestCase("NationalViewer", 200)]
    [TestCase("SystemAdmin", 200)]
    [TestCase("CountyAdmin", 403)]
    [TestCase("CountyEditor", 403)]
    [TestCase("MunicipalUser", 403)]
    [TestCase(null, 401)]
    public async Task National_report(string? role, int status)
    {
        foreach (var url in NationalUrls)
        {
            using var response = await Client(role, role is "SystemAdmin" or "NationalViewer" ? null : "03", "0380").GetAsync(url);
            Assert.That((int)response.StatusCode, Is.EqualTo(status), $"{role} {url}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [TestCase("reach.read", 200)]
    [TestCase("openid reach.read", 200)]
    [TestCase("reach.write", 403)]
    [TestCase("reach.readonly", 403)]
    public async Task National_report_for_an_api_client_by_scope(string scopes, int status)
    {
        foreach (var url in NationalUrls)
        {
            using var response = await ScopedClient(scopes).GetAsync(url);
            Assert.That((int)response.StatusCode, Is.EqualTo(status), $"{scopes} {url}");
        }
    }

    [Test]
    public async Task The_county_report_of_another_tenant_is_refused()
    {
        using var response = await Client("CountyAdmin", "03", tenantSlug: "stockholm").GetAsync("api/reach");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("NationalViewer", 403)]
    [TestCase("CountyAdmin", 403)]
    [TestCase("SystemAdmin", 200)]
    public async Task Only_SystemAdmin_changes_the_national_target(string role, int status)
    {
        using var response = await Client(role, role == "CountyAdmin" ? "03" : null)
            .PutAsync("api/national/reach/target", new StringContent("{\"target\":3000}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That((int)response.StatusCode, Is.EqualTo(status));
        using var client = await ScopedClient("reach.read").PutAsync("api/national/reach/target",
            new StringContent("{\"target\":3000}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(client.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "an API client only reads");
    }

    [Test]
    public void National_endpoints_are_not_tenant_scoped_and_county_ones_are()
    {
        var endpoints = Infrastructure.PlatformFactory.Endpoints().OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Contains("reach", StringComparison.Ordinal) == true).ToArray();
        Assert.That(endpoints, Is.Not.Empty);
        foreach (var e in endpoints)
        {
            var scoped = e.Metadata.GetMetadata<Api.Tenancy.TenantScopedAttribute>() is not null;
            Assert.That(scoped, Is.EqualTo(!e.RoutePattern.RawText!.StartsWith("/api/national", StringComparison.Ordinal)), e.RoutePattern.RawText);
        }
    }
}

/// <summary>The projection and the weeks, by hand.</summary>
public sealed class ReachCalculationTests
{
    static readonly DateOnly Today = new(2026, 11, 29);

    [Test]
    public void Projection_at_the_pace_of_the_last_four_weeks()
    {
        // 10 reached, target 20, 7 in 28 days = 0.25 a day: 10 more take 40 days → 8 Jan 2027.
        var p = ReachCalculations.Project(10, 20, 7, Today, []);
        Assert.Multiple(() =>
        {
            Assert.That(p.Status, Is.EqualTo("on_pace"));
            Assert.That(p.Date, Is.EqualTo(new DateOnly(2027, 1, 8)));
            Assert.That(p.PacePerWeek, Is.EqualTo(1.75));
        });
    }

    [Test]
    public void No_one_reached_in_four_weeks_is_not_at_this_pace()
    {
        var p = ReachCalculations.Project(10, 20, 0, Today, []);
        Assert.That((p.Status, p.Date, p.Text), Is.EqualTo(("not_at_this_pace", (DateOnly?)null, "Målet nås inte i den här takten.")));
    }

    [Test]
    public void A_reached_target_gives_the_day_it_was_reached()
    {
        // 2 on 2 Nov, 1 on 10 Nov, 3 on 16 Nov: the 5th leader came on 16 Nov.
        var p = ReachCalculations.Project(6, 5, 6, Today, [(new(2026, 11, 2), 2), (new(2026, 11, 10), 1), (new(2026, 11, 16), 3)]);
        Assert.That((p.Status, p.Date), Is.EqualTo(("reached", (DateOnly?)new DateOnly(2026, 11, 16))));
    }

    [Test]
    public void Weeks_start_on_monday_and_run_to_this_week()
    {
        var weeks = ReachCalculations.Weeks([(new(2026, 11, 8), 1), (new(2026, 11, 9), 2)], 10, Today);
        Assert.That(weeks.Select(w => (w.WeekStart, w.ReachedInWeek, w.ReachedCumulative)), Is.EqualTo(new[]
        {
            (new DateOnly(2026, 11, 2), 1, 1), (new DateOnly(2026, 11, 9), 2, 3), (new DateOnly(2026, 11, 16), 0, 3), (new DateOnly(2026, 11, 23), 0, 3),
        }));
    }
}

/// <summary>The national reach API is described in the OpenAPI document, with its versioned report type.</summary>
public sealed class ReachOpenApiTests : ReachTest
{
    [Test]
    public async Task The_openapi_document_describes_the_reach_endpoints_and_the_report_schema()
    {
        var doc = await GetJsonAsync(Client(null), "openapi/v1.json");
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.Multiple(() =>
        {
            Assert.That(paths, Does.Contain("/api/national/reach/").Or.Contain("/api/national/reach"));
            Assert.That(paths, Does.Contain("/api/national/reach/counties").And.Contain("/api/national/reach/counties/{countyId}"));
            Assert.That(paths, Does.Contain("/api/reach/").Or.Contain("/api/reach"));
            Assert.That(schemas.TryGetProperty("NationalReachReport", out var report), Is.True);
            Assert.That(report.GetProperty("properties").TryGetProperty("version", out _), Is.True);
            Assert.That(schemas.TryGetProperty("CountyReachReport", out _), Is.True);
        });
    }
}
