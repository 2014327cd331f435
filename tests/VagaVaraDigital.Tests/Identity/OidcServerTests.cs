using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Dapper;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// The platform as an OpenID Connect server, checked with a standard client library (Duende.IdentityModel), not
/// our own code: discovery, JWKS, client credentials for a machine client with reach.read, authorization code + PKCE.
/// </summary>
public sealed partial class OidcServerTests : ApiTest
{
    const string NationalReachPolicy = "NationalReach";


    internal static async Task<(string ClientId, string Secret)> RegisterMachineClientAsync(params string[] scopes)
    {
        using var response = await App.ClientAs("SystemAdmin").PostAsJsonAsync("/api/system/api-clients",
            new { displayName = "Lantmäteriets statistiksystem", kind = "machine", scopes });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var json = await JsonAsync(response);
        return (json.GetProperty("client").GetProperty("clientId").GetString()!, json.GetProperty("clientSecret").GetString()!);
    }

    [Test]
    public async Task The_discovery_document_and_JWKS_satisfy_a_standard_client_library()
    {
        var disco = await App.HttpsClient().GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = "https://localhost",
            Policy = { RequireHttps = true, ValidateIssuerName = true, ValidateEndpoints = true, RequireKeySet = true },
        });

        Assert.That(disco.IsError, Is.False, disco.Error);
        Assert.Multiple(() =>
        {
            Assert.That(disco.Issuer, Is.EqualTo("https://localhost/"));
            Assert.That(disco.TokenEndpoint, Is.EqualTo("https://localhost/connect/token"));
            Assert.That(disco.AuthorizeEndpoint, Is.EqualTo("https://localhost/connect/authorize"));
            Assert.That(disco.GrantTypesSupported, Does.Contain("client_credentials").And.Contain("authorization_code"));
            Assert.That(disco.CodeChallengeMethodsSupported, Does.Contain("S256"));
            Assert.That(disco.ScopesSupported, Does.Contain("reach.read"));
            Assert.That(disco.KeySet!.Keys.Where(k => k.Use == "sig" && k.Kty == "RSA"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task A_machine_client_gets_a_reach_read_token_that_works_on_the_national_reach_API_and_nowhere_else()
    {
        var (clientId, secret) = await RegisterMachineClientAsync("reach.read");
        var http = App.HttpsClient();
        var disco = await http.GetDiscoveryDocumentAsync("https://localhost");
        var token = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = clientId, ClientSecret = secret, Scope = "reach.read",
        });
        Assert.That(token.IsError, Is.False, token.Error + " " + token.ErrorDescription);
        Assert.That(token.TokenType, Is.EqualTo("Bearer"));

        http.SetBearerToken(token.AccessToken!);
        using (var reach = await http.GetAsync("/api/national/reach"))
            Assert.That(reach.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reach.Content.ReadAsStringAsync());

        var opened = new List<string>();
        foreach (var (method, url, policy) in ProtectedEndpoints())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url)
            { Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request);
            var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            if (policy == NationalReachPolicy ? refused && method == "GET" && !url.Contains("target") : !refused) opened.Add($"{method} {url} → {(int)response.StatusCode}");
        }
        Assert.That(opened, Is.Empty, "a reach.read token opens the national reach API (GET) and nothing else");
    }

    [Test]
    public async Task Token_requests_with_a_wrong_secret_or_a_scope_not_granted_are_refused()
    {
        var (clientId, secret) = await RegisterMachineClientAsync("reach.read");
        var http = App.HttpsClient();
        var wrongSecret = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        { Address = "https://localhost/connect/token", ClientId = clientId, ClientSecret = secret + "x", Scope = "reach.read" });
        var wrongScope = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        { Address = "https://localhost/connect/token", ClientId = clientId, ClientSecret = secret, Scope = "reach.read email" });
        Assert.That(wrongSecret.IsError, Is.True);
        Assert.That(wrongSecret.Raw, Does.Contain("invalid_client"));
        Assert.That(wrongScope.Error, Is.EqualTo("invalid_scope").Or.EqualTo("invalid_request"), wrongScope.ErrorDescription);
        Assert.That(wrongScope.AccessToken, Is.Null);
    }

    [Test]
    public async Task A_bearer_token_not_from_this_server_is_refused()
    {
        var http = App.HttpsClient();
        http.SetBearerToken("eyJhbGciOiJub25lIn0.eyJzY29wZSI6InJlYWNoLnJlYWQifQ.");
        using var response = await http.GetAsync("/api/national/reach");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task An_interactive_client_uses_authorization_code_with_PKCE_for_a_signed_in_user()
    {
        using var created = await App.ClientAs("SystemAdmin").PostAsJsonAsync("/api/system/api-clients", new
        {
            displayName = "Rapportverktyg", kind = "interactive", scopes = new[] { "openid", "profile" }, redirectUris = new[] { "https://verktyg.example/callback" },
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var clientId = (await JsonAsync(created)).GetProperty("client").GetProperty("clientId").GetString()!;
        var verifier = CryptoRandom.CreateUniqueId(32);
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = new RequestUrl("https://localhost/connect/authorize").CreateAuthorizeUrl(clientId, "code", "openid profile",
            "https://verktyg.example/callback", state: "s1", codeChallenge: challenge, codeChallengeMethod: "S256");

        // Not signed in: to the sign-in page, which comes back here.
        var browser = new Browser(App);
        using (var anonymous = await browser.Client.GetAsync(authorize))
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(anonymous.Headers.Location!.OriginalString, Does.StartWith("/logga-in?returnUrl="));
        }
        // Without PKCE: refused.
        var noPkce = new RequestUrl("https://localhost/connect/authorize").CreateAuthorizeUrl(clientId, "code", "openid profile", "https://verktyg.example/callback", state: "s1");
        await TestUsers.CreateAsync(App, "handlaggare@lansstyrelsen.se", Roles.CountyEditor, "03");
        await browser.SignInAsync("handlaggare@lansstyrelsen.se", TestUsers.Password);
        using (var refused = await browser.Client.GetAsync(noPkce))
            Assert.That(refused.Headers.Location?.Query ?? await refused.Content.ReadAsStringAsync(), Does.Contain("invalid_request").And.Contain("code_challenge"));

        using var redirect = await browser.Client.GetAsync(authorize);
        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await redirect.Content.ReadAsStringAsync());
        var callback = redirect.Headers.Location!;
        Assert.That(callback.GetLeftPart(UriPartial.Path), Is.EqualTo("https://verktyg.example/callback"));
        var query = HttpUtility.ParseQueryString(callback.Query);
        Assert.That(query["state"], Is.EqualTo("s1"));

        var http = App.HttpsClient();
        var wrongVerifier = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        { Address = "https://localhost/connect/token", ClientId = clientId, Code = query["code"]!, RedirectUri = "https://verktyg.example/callback", CodeVerifier = verifier + "x" });
        Assert.That(wrongVerifier.Error, Is.EqualTo("invalid_grant"));

        // The code was burnt by the failed attempt? OpenIddict revokes on a wrong verifier; get a fresh one.
        using var again = await browser.Client.GetAsync(authorize);
        var code = HttpUtility.ParseQueryString(again.Headers.Location!.Query)["code"]!;
        var tokens = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        { Address = "https://localhost/connect/token", ClientId = clientId, Code = code, RedirectUri = "https://verktyg.example/callback", CodeVerifier = verifier });
        Assert.That(tokens.IsError, Is.False, tokens.Error + " " + tokens.ErrorDescription);
        var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ReadJsonWebToken(tokens.IdentityToken);
        Assert.Multiple(() =>
        {
            Assert.That(idToken.Claims.Single(c => c.Type == "role").Value, Is.EqualTo("CountyEditor"));
            Assert.That(idToken.Claims.Single(c => c.Type == "vvd_tenant").Value, Is.EqualTo("03"));
            Assert.That(idToken.Issuer, Is.EqualTo("https://localhost/"));
        });

        // The user's access token carries no role: it opens no role-protected endpoint.
        http.SetBearerToken(tokens.AccessToken!);
        using var settings = await http.GetAsync("/t/uppsala/api/tenant/settings");
        Assert.That(settings.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Signing_keys_are_persisted_so_two_instances_publish_the_same_keys_and_accept_each_others_tokens()
    {
        var (clientId, secret) = await RegisterMachineClientAsync("reach.read");
        await using var first = new PlatformFactory(Database);
        await using var second = new PlatformFactory(Database);
        var jwks1 = await first.HttpsClient().GetStringAsync("/.well-known/jwks");
        var jwks2 = await second.HttpsClient().GetStringAsync("/.well-known/jwks");
        Assert.That(jwks2, Is.EqualTo(jwks1));

        var token = await first.HttpsClient().RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        { Address = "https://localhost/connect/token", ClientId = clientId, ClientSecret = secret, Scope = "reach.read" });
        var other = second.HttpsClient();
        other.SetBearerToken(token.AccessToken!);
        using var reach = await other.GetAsync("/api/national/reach");
        Assert.That(reach.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT string_agg(use, ',' ORDER BY use) FROM oidc_keys"), Is.EqualTo("enc,sig"));
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT protected_pem FROM oidc_keys LIMIT 1"), Does.Not.Contain("PRIVATE KEY"), "protected at rest");
    }

    /// <summary>Every endpoint that needs authorization: method, a concrete URL, and its policy.</summary>
    static IEnumerable<(string Method, string Url, string? Policy)> ProtectedEndpoints()
    {
        var endpoints = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var e in endpoints)
        {
            var authorize = e.Metadata.GetOrderedMetadata<IAuthorizeData>();
            if (authorize.Count == 0 || e.Metadata.GetMetadata<IAllowAnonymous>() is not null) continue;
            var route = Parameter().Replace(e.RoutePattern.RawText ?? "", m => m.Value.Contains(":guid") ? Guid.Empty.ToString() : "1");
            if (route.Contains('*')) continue;
            var prefix = e.Metadata.GetMetadata<TenantScopedAttribute>() is null ? "" : "/t/uppsala";
            var policy = authorize.Select(a => a.Policy).LastOrDefault(p => p is not null);
            foreach (var method in e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                yield return (method, prefix + "/" + route.TrimStart('/'), policy);
        }
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
