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
        var http = app.HttpsClient();
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

    [Test]
    public async Task The_daily_job_rotates_keys_once_they_reach_their_lifetime_and_prunes_long_retired_ones()
    {
        await using var app = new PlatformFactory(Database);
        var store = app.Services.GetRequiredService<OidcKeyStore>();
        store.Load();   // the first keys
        var lifetime = TimeSpan.FromDays(90);
        await using var conn = await Database.OpenSuperuserAsync();

        // Young keys: nothing to do.
        Assert.That(await store.RotateIfDueAsync(lifetime, TimeSpan.FromDays(14)), Is.Null);

        // 91 days old, and an old key that retired 40 days ago: rotated once, the old one pruned.
        await conn.ExecuteAsync("UPDATE oidc_keys SET created_at = now() - interval '91 days'");
        await conn.ExecuteAsync("""
            INSERT INTO oidc_keys (id, use, protected_pem, created_at, activates_at, retired_at)
            VALUES ('sig-long-gone', 'sig', 'x', now() - interval '200 days', now() - interval '200 days', now() - interval '40 days')
            """);
        var rotated = await store.RotateIfDueAsync(lifetime, TimeSpan.FromDays(14));
        Assert.That(rotated, Is.Not.Null);
        var keys = (await conn.QueryAsync<(string Id, bool Waiting, bool Retiring)>(
            "SELECT id, activates_at > now() + interval '9 minutes', retired_at IS NOT NULL FROM oidc_keys ORDER BY created_at, use")).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(keys.Select(k => k.Id), Does.Not.Contain("sig-long-gone"), "retired more than 30 days ago: deleted");
            Assert.That(keys.Count(k => k.Waiting && !k.Retiring), Is.EqualTo(2), "a new signing and encryption key, waiting for activation");
            Assert.That(keys.Count(k => !k.Waiting && k.Retiring), Is.EqualTo(2), "the old ones retire later");
            Assert.That(keys.Single(k => k.Waiting && k.Id.StartsWith("sig")).Id, Is.EqualTo(rotated));
        });

        // The next day, the new keys still waiting (or young): nothing more.
        Assert.That(await store.RotateIfDueAsync(lifetime, TimeSpan.FromDays(14)), Is.Null);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM oidc_keys"), Is.EqualTo(4));

        // The job is on the platform's schedule.
        Assert.That(VagaVaraDigital.Api.Jobs.RecurringJobs.All.Select(j => j.Id), Does.Contain(OidcKeyRotationJob.JobId));
    }
}
