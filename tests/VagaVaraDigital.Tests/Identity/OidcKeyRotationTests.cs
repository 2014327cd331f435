using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// Rotation of the OpenID Connect keys (docs/decisions/0016): a new key is in the JWKS before it is used, takes over
/// at its activation time, and the old one is accepted until it retires. Time is moved in the table (activates_at,
/// retired_at); <see cref="OidcKeyStore.Refresh"/> is what each instance runs every refresh interval.
/// </summary>
public sealed class OidcKeyRotationTests : ApiTest
{
    static HttpClient Https(WebApplicationFactory<Program> app) => app.CreateClient(new WebApplicationFactoryClientOptions
    { BaseAddress = new Uri("https://localhost/"), AllowAutoRedirect = false, HandleCookies = false });

    static async Task<string[]> PublishedSigningKeysAsync(HttpClient http)
    {
        var jwks = JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks")).RootElement;
        return jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order().ToArray();
    }

    /// <summary>The key an access token (a JWE) was encrypted with, from its protected header.</summary>
    static string EncryptedWith(string token)
    {
        var header = token.Split('.')[0].Replace('-', '+').Replace('_', '/');
        header = header.PadRight(header.Length + (4 - header.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header))).RootElement.GetProperty("kid").GetString()!;
    }

    static async Task<HttpStatusCode> NationalReachAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/national/reach");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Test]
    public async Task A_new_key_is_published_before_it_is_used_and_the_old_one_is_accepted_until_it_retires()
    {
        await using var app = new PlatformFactory(Database);
        var http = Https(app);
        using var created = await app.ClientAs("SystemAdmin").PostAsJsonAsync("/api/system/api-clients",
            new { displayName = "Lantmäteriets statistiksystem", kind = "machine", scopes = new[] { "reach.read" } });
        var client = await JsonAsync(created);
        var request = new ClientCredentialsTokenRequest
        {
            Address = "https://localhost/connect/token", Scope = "reach.read",
            ClientId = client.GetProperty("client").GetProperty("clientId").GetString()!, ClientSecret = client.GetProperty("clientSecret").GetString()!,
        };
        async Task<string> TokenAsync()
        {
            var response = await http.RequestClientCredentialsTokenAsync(request);
            Assert.That(response.IsError, Is.False, response.Error);
            return response.AccessToken!;
        }

        var before = await PublishedSigningKeysAsync(http);
        var oldToken = await TokenAsync();
        var oldEncryption = EncryptedWith(oldToken);
        var store = app.Services.GetRequiredService<OidcKeyStore>();

        var (signing, encryption) = await store.RotateAsync(activateAfter: TimeSpan.FromHours(1), retireAfter: TimeSpan.FromDays(14));

        // Published at once, not used yet: an instance that has not re-read the table can still read what others issue.
        Assert.That(await PublishedSigningKeysAsync(http), Is.EquivalentTo(before.Append(signing)));
        Assert.That(EncryptedWith(await TokenAsync()), Is.EqualTo(oldEncryption));

        // Its activation time comes: the new keys take over, tokens of the old ones still work.
        await using var conn = await Database.OpenSuperuserAsync();
        await conn.ExecuteAsync("UPDATE oidc_keys SET activates_at = now() - interval '1 second' WHERE id = ANY(@ids)", new { ids = new[] { signing, encryption } });
        store.Refresh();
        var newToken = await TokenAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(EncryptedWith(newToken), Is.EqualTo(encryption));
            Assert.That(await NationalReachAsync(http, newToken), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await NationalReachAsync(http, oldToken), Is.EqualTo(HttpStatusCode.OK), "the old key is accepted until it retires");
        });

        // The old keys retire: gone from the JWKS, their tokens refused.
        await conn.ExecuteAsync("UPDATE oidc_keys SET retired_at = now() - interval '1 second' WHERE NOT (id = ANY(@ids))", new { ids = new[] { signing, encryption } });
        store.Refresh();
        Assert.Multiple(async () =>
        {
            Assert.That(await PublishedSigningKeysAsync(http), Is.EqualTo(new[] { signing }));
            Assert.That(await NationalReachAsync(http, newToken), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await NationalReachAsync(http, oldToken), Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }
}
