using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// Registering interactive API clients (SystemAdmin): public clients (native or browser apps, no secret) and
/// confidential ones (a web application with a secret shown once), both with PKCE; redirect and post-logout
/// redirect addresses are https, or http to the loopback interface for a public native app; anything else is
/// refused with a Swedish message that names the address, and nothing is created.
/// </summary>
public sealed class ApiClientRegistrationTests : ApiTest
{
    static Task<HttpResponseMessage> RegisterAsync(object body) => App.ClientAs("SystemAdmin").PostAsJsonAsync("/api/system/api-clients", body);

    static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        return (await JsonAsync(response)).GetProperty("errors");
    }

    static string[] Messages(JsonElement errors, string key) => errors.TryGetProperty(key, out var list) ? list.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];

    [Test]
    public async Task Addresses_that_are_not_https_or_loopback_http_for_a_native_app_are_refused_with_a_message_per_address()
    {
        using var response = await RegisterAsync(new
        {
            displayName = "Rapportverktyg", kind = "interactive", scopes = new[] { "openid", "profile" },
            redirectUris = new[] { "http://verktyg.example/callback", "com.example.app:/callback", "https://verktyg.example/cb#x", "verktyg.example/cb", "https://ok.example/cb" },
            postLogoutRedirectUris = new[] { "ftp://verktyg.example/ut" },
        });
        var errors = await ErrorsAsync(response);
        var redirect = Messages(errors, "redirectUris");
        Assert.That(redirect, Has.Length.EqualTo(4));
        Assert.That(redirect[0], Does.Contain("”http://verktyg.example/callback” använder http. Använd https"));
        Assert.That(redirect[1], Does.Contain("”com.example.app:/callback” använder ”com.example.app:”. Bara https är tillåtet"));
        Assert.That(redirect[2], Does.Contain("får inte innehålla ett #fragment"));
        Assert.That(redirect[3], Does.Contain("”verktyg.example/cb” är ingen fullständig adress"));
        Assert.That(Messages(errors, "postLogoutRedirectUris").Single(), Does.Contain("”ftp://verktyg.example/ut” använder ”ftp:”"));

        // Loopback http is for a public native app only; a confidential web application needs https.
        using var confidential = await RegisterAsync(new
        {
            displayName = "Webbapp", kind = "interactive", confidential = true, scopes = new[] { "openid" }, redirectUris = new[] { "http://127.0.0.1:8765/callback" },
        });
        Assert.That(Messages(await ErrorsAsync(confidential), "redirectUris").Single(), Does.Contain("bara tillåtet för en publik klient"));

        using var none = await RegisterAsync(new { displayName = "Utan adress", kind = "interactive", scopes = new[] { "openid" }, redirectUris = Array.Empty<string>() });
        Assert.That(Messages(await ErrorsAsync(none), "redirectUris").Single(), Is.EqualTo("Ange minst en omdirigeringsadress."));

        using var machine = await RegisterAsync(new
        {
            displayName = "Statistik", kind = "machine", scopes = new[] { "reach.read" }, postLogoutRedirectUris = new[] { "https://ok.example/ut" },
        });
        Assert.That(Messages(await ErrorsAsync(machine), "postLogoutRedirectUris").Single(), Is.EqualTo("En maskinklient har inga adresser efter utloggning."));

        var list = await GetJsonAsync(App.ClientAs("SystemAdmin"), "/api/system/api-clients");
        Assert.That(list.GetArrayLength(), Is.Zero, "bad input changes nothing");
    }

    [Test]
    public async Task A_public_native_client_gets_no_secret_and_may_use_loopback_http()
    {
        using var response = await RegisterAsync(new
        {
            displayName = "Skrivbordsapp", kind = "interactive", scopes = new[] { "openid", "profile" },
            redirectUris = new[] { "http://127.0.0.1:8765/callback", "http://[::1]:8765/callback", "https://app.example/callback" },
            postLogoutRedirectUris = new[] { "http://127.0.0.1:8765/utloggad" },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var json = await JsonAsync(response);
        var client = json.GetProperty("client");
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("clientSecret").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(client.GetProperty("kind").GetString(), Is.EqualTo("interactive"));
            Assert.That(client.GetProperty("clientType").GetString(), Is.EqualTo("public"));
            Assert.That(client.GetProperty("redirectUris").GetArrayLength(), Is.EqualTo(3));
            Assert.That(client.GetProperty("postLogoutRedirectUris")[0].GetString(), Is.EqualTo("http://127.0.0.1:8765/utloggad"));
        });
    }

    [Test]
    public async Task A_confidential_client_needs_its_secret_and_PKCE_and_its_post_logout_address_is_honoured()
    {
        using var created = await RegisterAsync(new
        {
            displayName = "Webbrapporter", kind = "interactive", confidential = true, scopes = new[] { "openid", "profile" },
            redirectUris = new[] { "https://rapporter.example/callback" }, postLogoutRedirectUris = new[] { "https://rapporter.example/utloggad" },
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var json = await JsonAsync(created);
        var clientId = json.GetProperty("client").GetProperty("clientId").GetString()!;
        var secret = json.GetProperty("clientSecret").GetString()!;
        Assert.That(json.GetProperty("client").GetProperty("clientType").GetString(), Is.EqualTo("confidential"));
        Assert.That(secret, Has.Length.GreaterThanOrEqualTo(40));

        await TestUsers.CreateAsync(App, "handlaggare@lansstyrelsen.se", Roles.CountyEditor, "03");
        var browser = new Browser(App);
        await browser.SignInAsync("handlaggare@lansstyrelsen.se", TestUsers.Password);
        var verifier = CryptoRandom.CreateUniqueId(32);
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = new RequestUrl("https://localhost/connect/authorize").CreateAuthorizeUrl(clientId, "code", "openid profile",
            "https://rapporter.example/callback", state: "s1", codeChallenge: challenge, codeChallengeMethod: "S256");
        var noPkce = new RequestUrl("https://localhost/connect/authorize").CreateAuthorizeUrl(clientId, "code", "openid profile", "https://rapporter.example/callback", state: "s1");
        using (var refused = await browser.Client.GetAsync(noPkce))
            Assert.That(refused.Headers.Location?.Query ?? await refused.Content.ReadAsStringAsync(), Does.Contain("code_challenge"));

        async Task<string> CodeAsync()
        {
            using var redirect = await browser.Client.GetAsync(authorize);
            Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await redirect.Content.ReadAsStringAsync());
            return HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["code"]!;
        }

        var http = App.HttpsClient();
        var withoutSecret = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        { Address = "https://localhost/connect/token", ClientId = clientId, Code = await CodeAsync(), RedirectUri = "https://rapporter.example/callback", CodeVerifier = verifier });
        Assert.That(withoutSecret.IsError, Is.True);
        Assert.That(withoutSecret.Raw, Does.Contain("invalid_client"));

        var tokens = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = "https://localhost/connect/token", ClientId = clientId, ClientSecret = secret, Code = await CodeAsync(),
            RedirectUri = "https://rapporter.example/callback", CodeVerifier = verifier,
        });
        Assert.That(tokens.IsError, Is.False, tokens.Error + " " + tokens.ErrorDescription);

        // Signing out through the server returns to the registered address, and only to it.
        using (var endSession = await browser.Client.GetAsync(
            $"/connect/endsession?id_token_hint={tokens.IdentityToken}&post_logout_redirect_uri={Uri.EscapeDataString("https://rapporter.example/utloggad")}&state=ut1"))
        {
            Assert.That(endSession.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await endSession.Content.ReadAsStringAsync());
            Assert.That(endSession.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo("https://rapporter.example/utloggad"));
        }
        using (var elsewhere = await browser.Client.GetAsync(
            $"/connect/endsession?client_id={clientId}&post_logout_redirect_uri={Uri.EscapeDataString("https://annan.example/")}"))
            Assert.That(elsewhere.Headers.Location?.Host, Is.Not.EqualTo("annan.example"));
    }
}
