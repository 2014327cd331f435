using System.Net;
using System.Net.Http.Json;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Tenancy;

public sealed class TenantResolutionTests : ApiTest
{
    static async Task<string?> TenantNameAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await JsonAsync(response)).GetProperty("name").GetString();
    }

    [Test]
    public async Task Path_prefix_resolves_the_tenant_and_moves_into_PathBase()
    {
        using var response = await App.ClientAs(null, tenantSlug: "uppsala").GetAsync("api/tenant");
        Assert.That(await TenantNameAsync(response), Is.EqualTo("Länsstyrelsen i Uppsala län"));
    }

    [Test]
    public async Task Slugs_are_ascii_and_cover_all_21_counties()
    {
        var admin = App.ClientAs("SystemAdmin");
        var tenants = (await GetJsonAsync(admin, "/api/system/tenants")).EnumerateArray().ToArray();
        Assert.That(tenants, Has.Length.EqualTo(21));
        Assert.That(tenants.Select(t => t.GetProperty("slug").GetString()), Is.All.Match("^[a-z]+(-[a-z]+)*$"));
        Assert.That(tenants.Select(t => t.GetProperty("slug").GetString()), Does.Contain("vastra-gotaland").And.Contain("orebro").And.Contain("jamtland"));
    }

    [Test]
    public async Task Host_resolves_the_tenant_with_the_same_routes()
    {
        using var response = await App.ClientAs(null, host: "vastra-gotaland.vagavaradigital.test").GetAsync("/api/tenant");
        Assert.That(await TenantNameAsync(response), Is.EqualTo("Länsstyrelsen i Västra Götalands län"));
    }

    [Test]
    public async Task Host_and_path_naming_the_same_tenant_agree()
    {
        using var response = await App.ClientAs(null, tenantSlug: "skane", host: "skane.vagavaradigital.test").GetAsync("api/tenant");
        Assert.That(await TenantNameAsync(response), Is.EqualTo("Länsstyrelsen i Skåne län"));
    }

    [Test]
    public async Task Host_and_path_naming_different_tenants_is_a_400_problem()
    {
        using var response = await App.ClientAs(null, tenantSlug: "uppsala", host: "skane.vagavaradigital.test").GetAsync("api/tenant");
        await AssertProblemAsync(response, 400, "tenant_conflict");
    }

    [TestCase("atlantis", null)]
    [TestCase(null, "atlantis.vagavaradigital.test")]
    public async Task Unknown_tenant_is_a_404_problem(string? slug, string? host)
    {
        using var response = await App.ClientAs(null, tenantSlug: slug, host: host).GetAsync("api/tenant");
        await AssertProblemAsync(response, 404, "tenant_not_found");
    }

    [Test]
    public async Task Tenant_endpoint_without_a_tenant_is_a_400_problem()
    {
        using var response = await App.ClientAs(null).GetAsync("/api/tenant");
        await AssertProblemAsync(response, 400, "tenant_required");
    }

    [Test]
    public async Task Inactive_tenant_is_a_403_problem_except_for_SystemAdmin()
    {
        var system = App.ClientAs("SystemAdmin");
        using (var off = await system.PutAsJsonAsync("/api/system/tenants/01/state", new { isActive = false }))
            Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var anonymous = await App.ClientAs(null, tenantSlug: "stockholm").GetAsync("api/tenant");
        using var admin = await App.ClientAs("CountyAdmin", "01", tenantSlug: "stockholm").GetAsync("api/tenant/settings");
        using var sys = await App.ClientAs("SystemAdmin", tenantSlug: "stockholm").GetAsync("api/tenant/settings");

        await AssertProblemAsync(anonymous, 403, "tenant_inactive");
        await AssertProblemAsync(admin, 403, "tenant_inactive");
        Assert.That(sys.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using (var on = await system.PutAsJsonAsync("/api/system/tenants/01/state", new { isActive = true }))
            Assert.That(on.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var again = await App.ClientAs(null, tenantSlug: "stockholm").GetAsync("api/tenant");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "activation takes effect at once");
    }

    [Test]
    public async Task The_tenant_claim_resolves_the_tenant_when_the_address_has_none()
    {
        var json = await GetJsonAsync(App.ClientAs("CountyAdmin", "03"), "/api/tenant/settings");
        Assert.That(json.GetProperty("displayName").GetString(), Is.EqualTo("Länsstyrelsen i Uppsala län"));
    }

    [Test]
    public async Task A_user_of_tenant_A_on_tenant_B_gets_403_but_national_and_system_roles_may()
    {
        using var county = await App.ClientAs("CountyAdmin", "03", tenantSlug: "stockholm").GetAsync("api/tenant/settings");
        using var countyByHost = await App.ClientAs("CountyEditor", "03", host: "stockholm.vagavaradigital.test").GetAsync("/api/tenant");
        using var national = await App.ClientAs("NationalViewer", tenantSlug: "stockholm").GetAsync("api/tenant");
        using var system = await App.ClientAs("SystemAdmin", tenantSlug: "stockholm").GetAsync("api/tenant/settings");

        await AssertProblemAsync(county, 403, "tenant_forbidden");
        await AssertProblemAsync(countyByHost, 403, "tenant_forbidden");
        Assert.That(national.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(system.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
