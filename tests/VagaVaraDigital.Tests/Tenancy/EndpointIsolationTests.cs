using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using VagaVaraDigital.Api.Tenancy;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Tenancy;

/// <summary>
/// Every tenant-scoped endpoint, found in the app's endpoint data sources (so endpoints added later are
/// covered without touching this file), keeps tenant B's data from a user of tenant A.
/// </summary>
public sealed partial class EndpointIsolationTests : ApiTest
{
    public sealed record TenantEndpoint(string Method, string Route)
    {
        public override string ToString() => $"{Method} {Route}";
    }

    public static IEnumerable<TenantEndpoint> TenantEndpoints() => PlatformFactory.Endpoints().OfType<RouteEndpoint>()
        .Where(e => e.Metadata.GetMetadata<TenantScopedAttribute>() is not null)
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Select(m => new TenantEndpoint(m, e.RoutePattern.RawText ?? "")))
        .Distinct()
        .OrderBy(e => e.Route).ThenBy(e => e.Method);

    [Test]
    public void Tenant_scoped_endpoints_are_found()
    {
        Assert.That(TenantEndpoints().Select(e => e.Route), Does.Contain("/api/tenant/settings"));
    }

    static readonly string[] Roles = ["CountyAdmin", "CountyEditor", "MunicipalUser"];

    [TestCaseSource(nameof(TenantEndpoints))]
    public async Task A_user_of_tenant_A_addressing_tenant_B_gets_403(TenantEndpoint endpoint)
    {
        await TwoTenants.SeedAsync(Database);
        foreach (var role in Roles)
        {
            foreach (var url in Urls(endpoint.Route))
            {
                var client = App.ClientAs(role, TwoTenants.A, TwoTenants.AMunicipality, tenantSlug: TwoTenants.BSlug);
                using var response = await client.SendAsync(Request(endpoint.Method, url.TrimStart('/')));
                var body = WithoutEcho(await response.Content.ReadAsStringAsync());
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{role} {endpoint.Method} {url}: {body}");
                Assert.That(body, Does.Not.Contain(TwoTenants.BMarker));
            }
        }
    }

    [TestCaseSource(nameof(TenantEndpoints))]
    public async Task A_user_of_tenant_A_naming_B_ids_in_A_gets_nothing_of_B(TenantEndpoint endpoint)
    {
        await TwoTenants.SeedAsync(Database);
        foreach (var role in Roles)
        {
            foreach (var url in Urls(endpoint.Route))
            {
                var client = App.ClientAs(role, TwoTenants.A, TwoTenants.AMunicipality, tenantSlug: TwoTenants.ASlug);
                using var response = await client.SendAsync(Request(endpoint.Method, url.TrimStart('/')));
                var body = WithoutEcho(await response.Content.ReadAsStringAsync());
                Assert.That((int)response.StatusCode, Is.LessThan(500), $"{role} {endpoint.Method} {url}: {body}");
                Assert.That(body, Does.Not.Contain(TwoTenants.BMarker), $"{role} {endpoint.Method} {url}");
            }
        }
        await AssertBUnchangedAsync();
    }

    /// <summary>Nothing of B changed: its marker rows are all still there.</summary>
    static async Task AssertBUnchangedAsync()
    {
        await using var conn = await Database.OpenSuperuserAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            $"SELECT count(*) FROM tenant_settings WHERE tenant_id = '{TwoTenants.B}' AND contact_email LIKE '{TwoTenants.BMarker}%'", conn);
        Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.EqualTo(1), "B's settings unchanged");
    }

    static HttpRequestMessage Request(string method, string url) => new(new HttpMethod(method), url)
    {
        Content = method is "GET" or "DELETE" or "HEAD" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
    };

    /// <summary>The route with each parameter replaced by each of B's ids (or a harmless value).</summary>
    static IEnumerable<string> Urls(string route)
    {
        var parameters = Parameter().Matches(route);
        if (parameters.Count == 0) return [route];
        return TwoTenants.BIds.Append("1").Append(Guid.Empty.ToString())
            .Select(id => Parameter().Replace(route, id)).Distinct();
    }

    /// <summary>A problem's "instance" echoes the request path, which carries B's ids on purpose: not a leak.</summary>
    static string WithoutEcho(string body) => Instance().Replace(body, "");

    [GeneratedRegex("\"instance\":\"[^\"]*\"")]
    private static partial Regex Instance();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
