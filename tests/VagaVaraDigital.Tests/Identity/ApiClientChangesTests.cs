using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// After registration (SystemAdmin): an interactive client's addresses can be changed under the same rules as at
/// registration, and registering, changing and removing clients are recorded in the platform's audit log — ids, kinds and
/// counts only, never a secret or an address.
/// </summary>
public sealed class ApiClientChangesTests : ApiTest
{
    static HttpClient Admin() => App.ClientAs("SystemAdmin");

    static async Task<(string ClientId, string? Secret)> RegisterAsync(object body)
    {
        using var response = await Admin().PostAsJsonAsync("/api/system/api-clients", body);
        var json = await JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        return (json.GetProperty("client").GetProperty("clientId").GetString()!,
            json.GetProperty("clientSecret").ValueKind == JsonValueKind.String ? json.GetProperty("clientSecret").GetString() : null);
    }

    static Task<HttpResponseMessage> ChangeAsync(string clientId, string[] redirects, string[]? postLogout = null) =>
        Admin().PutAsJsonAsync($"/api/system/api-clients/{clientId}/addresses", new { redirectUris = redirects, postLogoutRedirectUris = postLogout ?? [] });

    static async Task<JsonElement> ClientAsync(string clientId) =>
        (await GetJsonAsync(Admin(), "/api/system/api-clients")).EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == clientId);

    static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Test]
    public async Task An_interactive_clients_addresses_are_changed_under_the_registration_rules_and_bad_input_changes_nothing()
    {
        var (publicId, _) = await RegisterAsync(new
        {
            displayName = "Skrivbordsapp", kind = "interactive", scopes = new[] { "openid" }, redirectUris = new[] { "https://app.example/callback" },
        });

        using (var changed = await ChangeAsync(publicId, [" https://app.example/ny ", "http://127.0.0.1:8765/callback"], ["https://app.example/ut"]))
        {
            var json = await JsonAsync(changed);
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
            Assert.That(Strings(json.GetProperty("redirectUris")), Is.EqualTo(new[] { "https://app.example/ny", "http://127.0.0.1:8765/callback" }));
        }
        var stored = await ClientAsync(publicId);
        Assert.That(Strings(stored.GetProperty("redirectUris")), Is.EquivalentTo(new[] { "https://app.example/ny", "http://127.0.0.1:8765/callback" }));
        Assert.That(Strings(stored.GetProperty("postLogoutRedirectUris")), Is.EqualTo(new[] { "https://app.example/ut" }));

        // Refused with a Swedish message per address (problem details), and nothing changes.
        using (var bad = await ChangeAsync(publicId, ["http://app.example/callback", "https://ok.example/cb"], ["ftp://app.example/ut"]))
        {
            var problem = await AssertProblemAsync(bad, 400, "validation");
            var errors = problem.GetProperty("errors");
            Assert.That(Strings(errors.GetProperty("redirectUris")).Single(), Does.Contain("”http://app.example/callback” använder http. Använd https"));
            Assert.That(Strings(errors.GetProperty("postLogoutRedirectUris")).Single(), Does.Contain("”ftp://app.example/ut” använder ”ftp:”"));
        }
        using (var none = await ChangeAsync(publicId, []))
            Assert.That(Strings((await AssertProblemAsync(none, 400, "validation")).GetProperty("errors").GetProperty("redirectUris")).Single(),
                Is.EqualTo("Ange minst en omdirigeringsadress."));
        Assert.That(Strings((await ClientAsync(publicId)).GetProperty("redirectUris")), Is.EquivalentTo(new[] { "https://app.example/ny", "http://127.0.0.1:8765/callback" }));

        // A confidential client: loopback http is refused; a change keeps its secret, and the server honours the new address only.
        var (confidentialId, secret) = await RegisterAsync(new
        {
            displayName = "Webbrapporter", kind = "interactive", confidential = true, scopes = new[] { "openid" },
            redirectUris = new[] { "https://rapporter.example/callback" },
        });
        using (var loopback = await ChangeAsync(confidentialId, ["http://127.0.0.1:8765/callback"]))
            Assert.That(Strings((await AssertProblemAsync(loopback, 400, "validation")).GetProperty("errors").GetProperty("redirectUris")).Single(),
                Does.Contain("bara tillåtet för en publik klient"));
        using (var ok = await ChangeAsync(confidentialId, ["https://rapporter.example/ny-callback"]))
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ok.Content.ReadAsStringAsync());
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var apps = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var app = await apps.FindByClientIdAsync(confidentialId);
            Assert.That(app, Is.Not.Null);
            Assert.Multiple(async () =>
            {
                Assert.That(await apps.ValidateClientSecretAsync(app!, secret!), Is.True, "the secret still works");
                Assert.That(await apps.ValidateRedirectUriAsync(app!, "https://rapporter.example/ny-callback"), Is.True);
                Assert.That(await apps.ValidateRedirectUriAsync(app!, "https://rapporter.example/callback"), Is.False);
            });
        }

        // A machine client has no addresses; an unknown client is not found.
        var (machineId, _) = await RegisterAsync(new { displayName = "Statistik", kind = "machine", scopes = new[] { "reach.read" } });
        using (var machine = await ChangeAsync(machineId, ["https://stat.example/cb"])) await AssertProblemAsync(machine, 409, "machine_client");
        using (var unknown = await ChangeAsync("vvd-finns-inte", ["https://stat.example/cb"])) await AssertProblemAsync(unknown, 404, "not_found");
    }

    [Test]
    public async Task Registering_changing_and_removing_clients_is_in_the_platform_audit_log_with_ids_only()
    {
        var (machineId, secret) = await RegisterAsync(new { displayName = "Lantmäteriets statistiksystem", kind = "machine", scopes = new[] { "reach.read" } });
        var (appId, _) = await RegisterAsync(new
        {
            displayName = "Skrivbordsapp", kind = "interactive", scopes = new[] { "openid", "profile" }, redirectUris = new[] { "https://app.example/callback" },
        });
        using (var changed = await ChangeAsync(appId, ["https://app.example/ny"])) Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var same = await ChangeAsync(appId, ["https://app.example/ny"])) Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var bad = await ChangeAsync(appId, ["http://app.example/x"])) Assert.That((int)bad.StatusCode, Is.EqualTo(400));
        using (var deleted = await Admin().DeleteAsync($"/api/system/api-clients/{machineId}")) Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var log = (await GetJsonAsync(Admin(), "/api/system/audit")).GetProperty("items").EnumerateArray().ToArray();
        Assert.That(log.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString())), Is.EqualTo(new[]
        {
            ("api_client.deleted", $"api_client:{machineId}"),
            ("api_client.addresses_changed", $"api_client:{appId}"),
            ("api_client.created", $"api_client:{appId}"),
            ("api_client.created", $"api_client:{machineId}"),
        }), "newest first; an unchanged or refused change is not recorded");
        Assert.Multiple(() =>
        {
            Assert.That(log.Select(e => e.GetProperty("actorId").GetString()), Has.All.EqualTo("test-SystemAdmin-"));
            var text = string.Join("\n", log.Select(e => e.ToString()));
            Assert.That(text, Does.Not.Contain(secret!), "never the secret");
            Assert.That(text, Does.Not.Contain("app.example"), "nor the addresses");
            Assert.That(log[3].GetProperty("details").GetString(), Does.Contain("\"kind\": \"machine\"").And.Contain("reach.read"));
            Assert.That(log[1].GetProperty("details").GetString(), Does.Contain("\"redirectUris\": 1"));
        });

        // Platform actions are in no county's log; only SystemAdmin reads the platform's.
        await using var su = await Database.OpenSuperuserAsync();
        Assert.That(await su.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE 'api_client.%'"), Is.Zero);
        using var county = await App.ClientAs("CountyAdmin", TwoTenants.A).GetAsync("/api/system/audit");
        Assert.That((int)county.StatusCode, Is.EqualTo(403));
    }

    static async Task<HttpStatusCode> TokenStatusAsync(string clientId, string secret)
    {
        var http = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost/"), HandleCookies = false });
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["scope"] = "reach.read", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        return response.StatusCode;
    }

    [Test]
    public async Task A_confidential_clients_secret_is_replaced_at_once_shown_once_and_audited_and_a_public_client_has_none()
    {
        var (machineId, oldSecret) = await RegisterAsync(new { displayName = "Statistik", kind = "machine", scopes = new[] { "reach.read" } });
        Assert.That(await TokenStatusAsync(machineId, oldSecret!), Is.EqualTo(HttpStatusCode.OK));

        using var rotated = await Admin().PostAsync($"/api/system/api-clients/{machineId}/secret", null);
        var json = await JsonAsync(rotated);
        Assert.That(rotated.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        var newSecret = json.GetProperty("clientSecret").GetString()!;
        Assert.That(newSecret, Has.Length.GreaterThanOrEqualTo(40).And.Not.EqualTo(oldSecret));
        Assert.That(json.GetProperty("client").GetProperty("clientId").GetString(), Is.EqualTo(machineId));
        Assert.That(await TokenStatusAsync(machineId, oldSecret!), Is.Not.EqualTo(HttpStatusCode.OK), "the old secret stops working at once");
        Assert.That(await TokenStatusAsync(machineId, newSecret), Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await GetJsonAsync(Admin(), "/api/system/api-clients")).ToString(), Does.Not.Contain(newSecret), "shown once, never listed");

        var (publicId, _) = await RegisterAsync(new
        {
            displayName = "Skrivbordsapp", kind = "interactive", scopes = new[] { "openid" }, redirectUris = new[] { "https://app.example/callback" },
        });
        using (var none = await Admin().PostAsync($"/api/system/api-clients/{publicId}/secret", null)) await AssertProblemAsync(none, 409, "public_client");
        using (var unknown = await Admin().PostAsync("/api/system/api-clients/vvd-finns-inte/secret", null)) await AssertProblemAsync(unknown, 404, "not_found");

        var log = (await GetJsonAsync(Admin(), "/api/system/audit")).GetProperty("items").EnumerateArray().ToArray();
        Assert.That(log[1].GetProperty("action").GetString(), Is.EqualTo("api_client.secret_rotated"));
        Assert.That(log[1].GetProperty("target").GetString(), Is.EqualTo($"api_client:{machineId}"));
        Assert.That(string.Join("\n", log.Select(e => e.ToString())), Does.Not.Contain(newSecret).And.Not.Contain(oldSecret!));
    }
}
