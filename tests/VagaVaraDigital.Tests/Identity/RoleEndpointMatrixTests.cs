using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// The role × endpoint matrix of issue 4: every endpoint the app maps (read from its endpoint data source) is
/// called by every kind of caller, and each gets exactly what DESIGN.md's "Who uses it" table allows — written
/// out by hand below, not derived from the code's policies. A new endpoint without a line in
/// <see cref="Expectations"/> fails <see cref="Every_endpoint_has_an_expectation_and_every_expectation_an_endpoint"/>:
/// whoever adds it must say who may call it.
/// </summary>
public sealed partial class RoleEndpointMatrixTests : ApiTest
{
    /// <summary>
    /// A host of its own without the reach report cache (as the reach tests): a cached national report is recomputed in
    /// the background, which would race the next test's database reset.
    /// </summary>
    static PlatformFactory? _host;
    static new PlatformFactory App => _host ??= new PlatformFactory(Database, b => b.UseSetting("Reach:CacheDuration", "00:00:00"));

    [OneTimeTearDown]
    public async Task DisposeHostAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _host = null;
    }

    /// <summary>The callers: the five roles (county ones in tenant A), no one, and a machine client's token.</summary>
    public enum Caller { SystemAdmin, NationalViewer, CountyAdmin, CountyEditor, MunicipalUser, Anonymous, ReachToken }

    /// <summary>Who may call an endpoint: one line of DESIGN.md's role table each.</summary>
    static class Access
    {
        /// <summary>Anyone, signed in or not: sign-in steps, public invitee pages (personal links), discovery, health, the SPA.</summary>
        public static readonly Caller[] Public = Enum.GetValues<Caller>();

        /// <summary>Public, inside a tenant: DESIGN.md "Tenancy": a signed-in caller's tenant must match the resolved tenant
        /// unless the role is national/system — a machine client's token names no tenant, so it is refused there.</summary>
        public static readonly Caller[] PublicInTenant = Public.Where(c => c != Caller.ReachToken).ToArray();

        /// <summary>Every person with an account (the five roles), for their own things; not a machine client.</summary>
        public static readonly Caller[] AnyPerson = [Caller.SystemAdmin, Caller.NationalViewer, Caller.CountyAdmin, Caller.CountyEditor, Caller.MunicipalUser];

        /// <summary>"SystemAdmin: manage tenants, users of any tenant, API clients; Hangfire dashboard".</summary>
        public static readonly Caller[] SystemAdmin = [Caller.SystemAdmin];

        /// <summary>"NationalViewer: read national and per-county aggregates" (+ SystemAdmin, + reach.read tokens: issue 4/8).</summary>
        public static readonly Caller[] NationalAggregates = [Caller.SystemAdmin, Caller.NationalViewer, Caller.ReachToken];

        /// <summary>"CountyAdmin: everything inside their own tenant, incl. settings, SSO, users" (+ SystemAdmin: users of any tenant).</summary>
        public static readonly Caller[] CountyAdmin = [Caller.SystemAdmin, Caller.CountyAdmin];

        /// <summary>"CountyEditor: invitees, webcasts, invitations, attendance inside their tenant".</summary>
        public static readonly Caller[] CountyStaff = [Caller.SystemAdmin, Caller.CountyAdmin, Caller.CountyEditor];

        /// <summary>"MunicipalUser: their own municipality: see and nominate its leaders, see the schedule and their
        /// municipality's reach" (the feature narrows the rows to the municipality).</summary>
        public static readonly Caller[] CountyStaffAndMunicipal = [Caller.SystemAdmin, Caller.CountyAdmin, Caller.CountyEditor, Caller.MunicipalUser];
    }

    /// <summary>
    /// The expectation table, keyed by "METHOD route pattern" as the app maps it. Tenant-scoped routes are called
    /// under tenant A's prefix (/t/uppsala/), the others at the root.
    /// </summary>
    static readonly Dictionary<string, Caller[]> Expectations = new()
    {
        // Public: health, API docs, reference data, tenant lookup, the SPA and its fallback.
        ["GET /health/live"] = Access.Public,
        ["GET /health/ready"] = Access.Public,
        ["GET /openapi/{documentName}.json"] = Access.Public,
        ["GET /docs/{documentName?}"] = Access.Public,
        ["GET /docs/scalar.js"] = Access.Public,
        ["GET /docs/scalar.aspnetcore.js"] = Access.Public,
        ["GET /docs/favicon.svg"] = Access.Public,
        ["GET /api/reference/counties"] = Access.Public,
        ["GET /api/tenants"] = Access.Public,
        ["GET /api/tenant/"] = Access.PublicInTenant,
        ["GET /api/privacy/"] = Access.PublicInTenant,                  // the privacy notice invitees are shown
        ["GET {**path}"] = Access.Public,                        // the admin SPA's shell (it asks for a session itself)

        // Sign-in (anonymous by nature; the steps have their own antiforgery, lockout and rate limit tests).
        ["GET /api/auth/session"] = Access.Public,
        ["POST /api/auth/discover"] = Access.Public,
        ["POST /api/auth/sign-in"] = Access.Public,
        ["POST /api/auth/mfa/verify"] = Access.Public,
        ["POST /api/auth/mfa/enrolment"] = Access.Public,
        ["POST /api/auth/mfa/enrolment/confirm"] = Access.Public,
        ["POST /api/auth/password/forgot"] = Access.Public,
        ["POST /api/auth/password/reset"] = Access.Public,
        ["POST /api/auth/invitations/accept"] = Access.Public,
        ["POST /api/auth/sign-out"] = Access.Public,
        ["GET /api/auth/sso/{providerId:guid}/start"] = Access.Public,
        ["GET /signin-oidc/{registrationId}"] = Access.Public,
        ["POST /connect/token"] = Access.Public,
        ["GET /connect/authorize"] = Access.Public,
        ["GET /connect/endsession"] = Access.Public,

        // Invitee: "no account: personal, unguessable links for RSVP, calendar, join and unsubscribe".
        ["GET /public/vvd.css"] = Access.Public,
        ["GET /r/{token}"] = Access.Public,
        ["POST /r/{token}"] = Access.Public,
        ["GET /r/{token}/kalender.ics"] = Access.Public,
        ["GET /j/{token}"] = Access.Public,
        ["GET /kalender.ics"] = Access.Public,
        ["GET /api/public/rsvp/{token}"] = Access.PublicInTenant,
        ["POST /api/public/rsvp/{token}"] = Access.PublicInTenant,
        ["GET /api/public/webcasts"] = Access.PublicInTenant,
        ["GET /u/{token}"] = Access.PublicInTenant,
        ["POST /u/{token}"] = Access.PublicInTenant,
        ["POST /u/{token}/undo"] = Access.PublicInTenant,

        // Any signed-in person: their own preferences (language).
        ["GET /api/me/preferences/"] = Access.AnyPerson,
        ["PUT /api/me/preferences/"] = Access.AnyPerson,

        // SystemAdmin: tenants, users of any tenant, API clients, the Hangfire dashboard, the national target.
        ["GET /api/system/tenants/"] = Access.SystemAdmin,
        ["PUT /api/system/tenants/{id}/state"] = Access.SystemAdmin,
        ["GET /api/system/users/"] = Access.SystemAdmin,
        ["POST /api/system/users/"] = Access.SystemAdmin,
        ["PUT /api/system/users/{id:guid}/active"] = Access.SystemAdmin,
        ["GET /api/system/api-clients/"] = Access.SystemAdmin,
        ["POST /api/system/api-clients/"] = Access.SystemAdmin,
        ["DELETE /api/system/api-clients/{clientId}"] = Access.SystemAdmin,
        ["PUT /api/system/api-clients/{clientId}/addresses"] = Access.SystemAdmin,
        ["POST /api/system/api-clients/{clientId}/secret"] = Access.SystemAdmin,
        ["GET /api/system/audit/"] = Access.SystemAdmin,          // the platform's audit log (API clients)
        ["GET /api/system/email/outbox/"] = Access.SystemAdmin,   // the platform outbox: mail to accounts without a county (ADR 0015)
        ["GET /api/system/email/outbox/summary"] = Access.SystemAdmin,
        ["GET /api/system/email/outbox/{id}"] = Access.SystemAdmin,
        ["GET /api/system/email/outbox/{id}/eml"] = Access.SystemAdmin,
        ["POST /api/system/email/outbox/{id}/retry"] = Access.SystemAdmin,
        ["GET /jobs/{**path}"] = Access.SystemAdmin,
        ["PUT /api/national/reach/target"] = Access.SystemAdmin,   // "configurable by SystemAdmin" (issue 8); NationalViewer only reads

        // National aggregates: NationalViewer, SystemAdmin and machine clients with reach.read; no personal data.
        ["GET /api/national/reach/"] = Access.NationalAggregates,
        ["GET /api/national/reach/counties"] = Access.NationalAggregates,
        ["GET /api/national/reach/counties/{countyId}"] = Access.NationalAggregates,
        ["GET /api/national/reach/export.csv"] = Access.NationalAggregates,
        ["GET /api/national/reach/export.xlsx"] = Access.NationalAggregates,
        ["GET /api/national/reach/target"] = Access.NationalAggregates,

        // CountyAdmin: the tenant's settings, SSO, users, privacy settings, e-mail (outbox and templates), audit log.
        ["GET /api/tenant/settings"] = Access.CountyAdmin,
        ["PUT /api/tenant/settings"] = Access.CountyAdmin,
        ["GET /api/tenant/sso-providers/"] = Access.CountyAdmin,
        ["POST /api/tenant/sso-providers/"] = Access.CountyAdmin,
        ["PUT /api/tenant/sso-providers/{id:guid}"] = Access.CountyAdmin,
        ["DELETE /api/tenant/sso-providers/{id:guid}"] = Access.CountyAdmin,
        ["GET /api/tenant/users/"] = Access.CountyAdmin,
        ["POST /api/tenant/users/"] = Access.CountyAdmin,
        ["PUT /api/tenant/users/{id:guid}/active"] = Access.CountyAdmin,
        ["PUT /api/tenant/users/{id:guid}/role"] = Access.CountyAdmin,
        ["PUT /api/privacy/"] = Access.CountyAdmin,
        ["POST /api/privacy/purge"] = Access.CountyAdmin,
        ["GET /api/audit/"] = Access.CountyAdmin,
        ["GET /api/email/outbox"] = Access.CountyAdmin,
        ["GET /api/email/outbox/summary"] = Access.CountyAdmin,
        ["GET /api/email/outbox/{id:long}"] = Access.CountyAdmin,
        ["GET /api/email/outbox/{id:long}/eml"] = Access.CountyAdmin,
        ["POST /api/email/outbox/{id:long}/retry"] = Access.CountyAdmin,
        ["GET /api/email/templates"] = Access.CountyAdmin,
        ["PUT /api/email/templates/{kind}/{language}"] = Access.CountyAdmin,
        ["DELETE /api/email/templates/{kind}/{language}"] = Access.CountyAdmin,
        ["POST /api/email/templates/preview"] = Access.CountyAdmin,
        ["GET /api/email/my-settings"] = Access.CountyAdmin,     // the daily digest goes to the county's administrators
        ["PUT /api/email/my-settings"] = Access.CountyAdmin,

        // County staff: invitees (whole tenant), webcasts, invitations, attendance.
        ["DELETE /api/invitees/{id}"] = Access.CountyStaff,
        ["POST /api/invitees/{id}/opt-out"] = Access.CountyStaff,
        ["POST /api/invitees/subject-access"] = Access.CountyStaff,
        ["POST /api/invitees/imports"] = Access.CountyStaff,
        ["GET /api/invitees/imports"] = Access.CountyStaff,
        ["GET /api/invitees/imports/{id}"] = Access.CountyStaff,
        ["GET /api/invitees/export"] = Access.CountyStaff,
        ["POST /api/webcasts/"] = Access.CountyStaff,
        ["PUT /api/webcasts/{id:guid}"] = Access.CountyStaff,
        ["DELETE /api/webcasts/{id:guid}"] = Access.CountyStaff,
        ["POST /api/webcasts/{id:guid}/schedule"] = Access.CountyStaff,
        ["POST /api/webcasts/{id:guid}/reschedule"] = Access.CountyStaff,
        ["POST /api/webcasts/{id:guid}/cancel"] = Access.CountyStaff,
        ["GET /api/webcasts/{webcastId:guid}/invitations/"] = Access.CountyStaff,
        ["POST /api/webcasts/{webcastId:guid}/invitations/preview"] = Access.CountyStaff,
        ["POST /api/webcasts/{webcastId:guid}/invitations/"] = Access.CountyStaff,
        ["GET /api/invitations/latest-answers"] = Access.CountyStaff,   // invitees' names and answers: not for municipal users
        ["GET /api/webcasts/{webcastId:guid}/attendance/imports"] = Access.CountyStaff,
        ["POST /api/webcasts/{webcastId:guid}/attendance/imports/preview"] = Access.CountyStaff,
        ["POST /api/webcasts/{webcastId:guid}/attendance/imports"] = Access.CountyStaff,
        ["PUT /api/webcasts/{webcastId:guid}/invitations/{invitationId:guid}/attendance"] = Access.CountyStaff,

        // County staff and the municipal user (their municipality): see and nominate leaders, the schedule, reach.
        ["GET /api/invitees/"] = Access.CountyStaffAndMunicipal,
        ["GET /api/invitees/role-categories"] = Access.CountyStaffAndMunicipal,
        ["GET /api/invitees/{id}"] = Access.CountyStaffAndMunicipal,
        ["POST /api/invitees/"] = Access.CountyStaffAndMunicipal,        // a municipal user's POST is a nomination
        ["PUT /api/invitees/{id}"] = Access.CountyStaffAndMunicipal,     // correcting their own municipality's leaders (issue 5)
        ["GET /api/webcasts/"] = Access.CountyStaffAndMunicipal,
        ["GET /api/webcasts/{id:guid}"] = Access.CountyStaffAndMunicipal,
        ["GET /api/reach/"] = Access.CountyStaffAndMunicipal,
        ["GET /api/reach/export.csv"] = Access.CountyStaffAndMunicipal,
        ["GET /api/reach/export.xlsx"] = Access.CountyStaffAndMunicipal,
    };

    public sealed record MappedEndpoint(string Method, string Route, bool TenantScoped)
    {
        public string Key => $"{Method} {Route}";
        public override string ToString() => Key;
    }

    public static IEnumerable<MappedEndpoint> MappedEndpoints() => PlatformFactory.Endpoints().OfType<RouteEndpoint>()
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Where(m => m != "HEAD" && m != "OPTIONS")
            .Select(m => new MappedEndpoint(m, e.RoutePattern.RawText ?? "",
                e.Metadata.GetMetadata<VagaVaraDigital.Api.Tenancy.TenantScopedAttribute>() is not null)))
        .Distinct()
        .OrderBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal);

    [Test]
    public void Every_endpoint_has_an_expectation_and_every_expectation_an_endpoint()
    {
        var mapped = MappedEndpoints().Select(e => e.Key).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(mapped.Where(k => !Expectations.ContainsKey(k)), Is.Empty,
                "New endpoints: add a line to RoleEndpointMatrixTests.Expectations saying who may call them (DESIGN.md, 'Who uses it').");
            Assert.That(Expectations.Keys.Where(k => !mapped.Contains(k)), Is.Empty, "Expectations for endpoints that no longer exist");
        });
    }

    [TestCaseSource(nameof(MappedEndpoints))]
    public async Task Each_caller_gets_exactly_what_the_role_table_allows(MappedEndpoint endpoint)
    {
        if (!Expectations.TryGetValue(endpoint.Key, out var allowed))
            Assert.Ignore("No expectation yet (the completeness test fails for it).");

        var token = await ReachTokenAsync();
        var wrong = new List<string>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            var client = Client(caller, endpoint.TenantScoped, token);
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), Url(endpoint.Route))
            {
                Content = endpoint.Method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
            };
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var refused = Refused(status, body);
            var expectRefused = !allowed.Contains(caller);
            // Refused means 401 to a caller without credentials and 403 to one whose role does not reach.
            var expectedRefusal = caller == Caller.Anonymous ? 401 : 403;
            if (expectRefused ? !refused || status != expectedRefusal : refused || status >= 500)
                wrong.Add($"{caller}: {status} (expected {(expectRefused ? expectedRefusal.ToString() : "allowed")}) {Truncate(body)}");
        }
        Assert.That(wrong, Is.Empty, endpoint.Key);
    }

    /// <summary>
    /// Refused by authorization or tenancy: 401/403 with one of the platform's access codes, or without a problem code
    /// (a bearer challenge). A 401 the endpoint itself answers ("sign_in_failed", "mfa_session_missing") means it ran.
    /// </summary>
    static bool Refused(int status, string body)
    {
        if (status is not (401 or 403)) return false;
        var code = Code().Match(body);
        return !code.Success || code.Groups[1].Value is "unauthenticated" or "forbidden" or "tenant_forbidden" or "tenant_inactive";
    }

    static HttpClient Client(Caller caller, bool tenantScoped, string token)
    {
        var slug = tenantScoped ? TwoTenants.ASlug : null;
        return caller switch
        {
            Caller.Anonymous => App.ClientAs(null, tenantSlug: slug),
            Caller.ReachToken => Bearer(token, slug),
            Caller.SystemAdmin or Caller.NationalViewer => App.ClientAs(caller.ToString(), tenantSlug: slug),
            _ => App.ClientAs(caller.ToString(), TwoTenants.A, TwoTenants.AMunicipality, tenantSlug: slug),
        };
    }

    static HttpClient Bearer(string token, string? slug)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = false,
            BaseAddress = new Uri("https://localhost/" + (slug is null ? "" : $"t/{slug}/")),
        });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A real client-credentials token with scope reach.read from the platform's own token endpoint.</summary>
    static async Task<string> ReachTokenAsync()
    {
        using var created = await App.ClientAs("SystemAdmin").PostAsJsonAsync("/api/system/api-clients",
            new { displayName = "Lantmäteriets statistiksystem", kind = "machine", scopes = new[] { "reach.read" } });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var client = (await JsonAsync(created));
        var http = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost/"), HandleCookies = false });
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["scope"] = "reach.read",
            ["client_id"] = client.GetProperty("client").GetProperty("clientId").GetString()!,
            ["client_secret"] = client.GetProperty("clientSecret").GetString()!,
        }));
        var json = await JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        return json.GetProperty("access_token").GetString()!;
    }

    /// <summary>The route with harmless values for its parameters (ids that do not exist, a token that is no one's).</summary>
    static string Url(string route) => Parameter().Replace(route, m =>
    {
        var (name, constraint) = (m.Groups["name"].Value, m.Groups["constraint"].Value);
        if (name.StartsWith("**", StringComparison.Ordinal)) return "ingen-sida";
        return constraint switch
        {
            "guid" => Guid.Empty.ToString(),
            "long" => "1",
            _ => name switch
            {
                "documentName" => "v1",
                "kind" => "invitation",
                "language" => "sv",
                "countyId" or "id" => "99",
                _ => "finns-inte",
            },
        };
    }).TrimStart('/');

    static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "…";

    [GeneratedRegex("\"code\":\"([^\"]+)\"")]
    private static partial Regex Code();

    [GeneratedRegex(@"\{(?<name>\**[A-Za-z]+)\??(?::(?<constraint>[a-z]+))?\}")]
    private static partial Regex Parameter();
}
