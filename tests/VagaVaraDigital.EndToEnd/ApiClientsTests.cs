using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// System → API clients (SystemAdmin): a machine client whose shown secret really fetches a token at the shown
/// token address and opens the national reach API, and interactive clients (public and confidential) whose
/// redirect addresses are checked with clear Swedish messages before anything is registered.
/// </summary>
[TestFixture]
public sealed class ApiClientsTests : BrowserTest
{
    [Test]
    public async Task System_admin_registers_a_machine_client_whose_secret_opens_the_national_reach_API()
    {
        var page = await PageAsAsync("SystemAdmin");
        await GoAsync(page, "/system/api-klienter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("API-klienter");
        await Expect(page.GetByLabel("Maskinklient (klientuppgifter)")).ToBeCheckedAsync();
        await page.Locator("#displayName").FillAsync("Lantmäteriets statistik");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        var created = page.GetByRole(AriaRole.Region, new() { Name = "Lantmäteriets statistik är registrerad" });
        await Expect(created).ToContainTextAsync("Den visas bara den här gången");
        var codes = created.Locator("dd code");
        var clientId = (await codes.Nth(0).TextContentAsync())!;
        var secret = (await created.Locator("code.secret").TextContentAsync())!;
        var tokenUrl = (await codes.Nth(2).TextContentAsync())!;
        Assert.That(tokenUrl, Is.EqualTo($"{BaseUrl}/connect/token"));
        await AssertAccessibleAsync(page, "api-clients-machine-created");

        // What the screen promises: these three values are all a statistics system needs (plain HTTP, no browser).
        using var http = new HttpClient();
        using var tokenResponse = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "reach.read",
        }));
        var tokenBody = await tokenResponse.Content.ReadAsStringAsync();
        Assert.That(tokenResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK), tokenBody);
        var accessToken = JsonDocument.Parse(tokenBody).RootElement.GetProperty("access_token").GetString();

        using var withoutToken = await http.GetAsync($"{BaseUrl}/api/national/reach");
        Assert.That(withoutToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{BaseUrl}/api/national/reach");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var reach = await http.SendAsync(request);
        var reachBody = await reach.Content.ReadAsStringAsync();
        Assert.That(reach.StatusCode, Is.EqualTo(HttpStatusCode.OK), reachBody);
        Assert.That(JsonDocument.Parse(reachBody).RootElement.ValueKind, Is.EqualTo(JsonValueKind.Object));

        // A new secret (say the old one leaked): asked first, shown once, and the old one stops working at once.
        var row = page.Locator("tbody tr", new() { HasText = "Lantmäteriets statistik" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Ny hemlighet för Lantmäteriets statistik" }).ClickAsync();
        var confirmRotate = row.GetByRole(AriaRole.Group);
        await Expect(confirmRotate).ToContainTextAsync("Den gamla slutar gälla direkt");
        await Expect(confirmRotate.GetByRole(AriaRole.Button, new() { Name = "Ja, ny hemlighet" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "api-clients-confirm-rotate");
        await confirmRotate.GetByRole(AriaRole.Button, new() { Name = "Ja, ny hemlighet" }).ClickAsync();
        var rotated = page.GetByRole(AriaRole.Region, new() { Name = "Ny hemlighet för Lantmäteriets statistik" });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ny hemlighet för Lantmäteriets statistik" })).ToBeFocusedAsync();
        var newSecret = (await rotated.Locator("code.secret").TextContentAsync())!;
        Assert.That(newSecret, Is.Not.EqualTo(secret));
        using (var old = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "reach.read",
        }))) Assert.That(old.IsSuccessStatusCode, Is.False, "the old secret no longer works");
        using (var fresh = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = newSecret, ["scope"] = "reach.read",
        }))) Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.OK), await fresh.Content.ReadAsStringAsync());
        secret = newSecret;
        await AssertAccessibleAsync(page, "api-clients-secret-rotated");

        // Revoked: the same secret gets no new token.
        await row.GetByRole(AriaRole.Button, new() { Name = "Återkalla Lantmäteriets statistik" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Ja, återkalla" }).ClickAsync();
        await Expect(page.GetByText("Inga API-klienter är registrerade.")).ToBeVisibleAsync();
        using var afterRevoke = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "reach.read",
        }));
        Assert.That(afterRevoke.IsSuccessStatusCode, Is.False);
    }

    [Test]
    public async Task System_admin_registers_public_and_confidential_interactive_clients_with_checked_addresses()
    {
        var page = await PageAsAsync("SystemAdmin");
        await GoAsync(page, "/system/api-klienter");
        await page.GetByLabel("Interaktiv (kod + PKCE)").CheckAsync();
        await Expect(page.GetByLabel("Publik klient (ingen hemlighet)")).ToBeCheckedAsync();
        await page.Locator("#displayName").FillAsync("Rapportverktyg");
        var redirects = page.GetByLabel("Omdirigeringsadresser");
        await redirects.FillAsync("http://verktyg.example/callback\ncom.example.app:/callback");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("”http://verktyg.example/callback” använder http. Använd https");
        await Expect(summary).ToContainTextAsync("”com.example.app:/callback” använder ”com.example.app:”. Bara https är tillåtet");
        await Expect(redirects).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync(page, "api-clients-interactive-invalid");

        // A native app may come back to its own computer over http; the addresses after sign-out follow the same rules.
        await redirects.FillAsync("http://127.0.0.1:8765/callback\nhttps://verktyg.example/callback");
        await page.GetByLabel("Adresser efter utloggning").FillAsync("https://verktyg.example/utloggad");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        var created = page.GetByRole(AriaRole.Region, new() { Name = "Rapportverktyg är registrerad" });
        await Expect(created).ToContainTextAsync($"{BaseUrl}/connect/authorize");
        await Expect(created).ToContainTextAsync("Krävs (S256)");
        await Expect(created.Locator("code.secret")).ToHaveCountAsync(0);
        var row = page.Locator("tbody tr", new() { HasText = "Rapportverktyg" });
        await Expect(row).ToContainTextAsync("Publik klient (ingen hemlighet)");
        await Expect(row).ToContainTextAsync("http://127.0.0.1:8765/callback");
        await Expect(row).ToContainTextAsync("Efter utloggning: https://verktyg.example/utloggad");
        await AssertAccessibleAsync(page, "api-clients-public-created");

        // A confidential web application needs https everywhere, and gets a secret shown once.
        await page.GetByLabel("Interaktiv (kod + PKCE)").CheckAsync();
        await page.GetByLabel("Konfidentiell klient (med hemlighet)").CheckAsync();
        await page.Locator("#displayName").FillAsync("Webbrapporter");
        await redirects.FillAsync("http://127.0.0.1:8765/callback");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        await Expect(summary).ToContainTextAsync("Det är bara tillåtet för en publik klient (inbyggd app); en konfidentiell klient behöver https.");
        await redirects.FillAsync("https://rapporter.example/callback");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        created = page.GetByRole(AriaRole.Region, new() { Name = "Webbrapporter är registrerad" });
        await Expect(created.Locator("code.secret")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webbrapporter är registrerad" })).ToBeFocusedAsync();
        await Expect(page.Locator("tbody tr", new() { HasText = "Webbrapporter" })).ToContainTextAsync("Konfidentiell klient (med hemlighet)");
        await AssertAccessibleAsync(page, "api-clients-confidential-created");
    }

    [Test]
    public async Task System_admin_changes_an_interactive_clients_addresses_under_the_same_rules_and_the_change_is_audited()
    {
        var page = await PageAsAsync("SystemAdmin");
        foreach (var body in new object[]
        {
            new { displayName = "Skrivbordsapp", kind = "interactive", scopes = new[] { "openid" }, redirectUris = new[] { "https://app.example/callback" } },
            new { displayName = "Statistik", kind = "machine", scopes = new[] { "reach.read" } },
        })
        {
            var r = await page.APIRequest.PostAsync($"{BaseUrl}/api/system/api-clients", new() { DataObject = body });
            Assert.That(r.Status, Is.EqualTo(201), await r.TextAsync());
        }
        await GoAsync(page, "/system/api-klienter");
        await Expect(page.Locator("tbody tr", new() { HasText = "Statistik" }).GetByRole(AriaRole.Button, new() { Name = "Ändra adresser för Statistik" }))
            .ToHaveCountAsync(0);   // a machine client has no addresses
        var row = page.Locator("tbody tr", new() { HasText = "Skrivbordsapp" });
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Ny hemlighet för Skrivbordsapp" })).ToHaveCountAsync(0);   // public: no secret
        await row.GetByRole(AriaRole.Button, new() { Name = "Ändra adresser för Skrivbordsapp" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Adresser för Skrivbordsapp" })).ToBeFocusedAsync();
        var redirects = page.Locator("#editRedirectUris");
        await Expect(redirects).ToHaveValueAsync("https://app.example/callback");
        await AssertAccessibleAsync(page, "api-clients-edit-addresses");

        // Plain http to another computer: refused before anything is sent, with the message tied to the field.
        await redirects.FillAsync("http://app.example/callback");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara adresserna" }).ClickAsync();
        var form = page.Locator("section[aria-labelledby='edit-addresses']");
        await Expect(form.Locator(".error-summary")).ToContainTextAsync("”http://app.example/callback” använder http. Använd https");
        await Expect(redirects).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync(page, "api-clients-edit-addresses-invalid");

        // A native app's loopback address and an address after sign-out: saved, and the list shows them.
        await redirects.FillAsync("https://app.example/ny\nhttp://127.0.0.1:8765/callback");
        await page.Locator("#editPostLogoutRedirectUris").FillAsync("https://app.example/utloggad");
        var saved = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Spara adresserna" }).ClickAsync(),
            r => r.Url.EndsWith("/addresses") && r.Request.Method == "PUT");
        Assert.That(saved.Status, Is.EqualTo(200), await saved.TextAsync());
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Adresserna för Skrivbordsapp är sparade." })).ToBeVisibleAsync();
        await Expect(form).ToHaveCountAsync(0);
        await Expect(row).ToContainTextAsync("https://app.example/ny");
        await Expect(row).ToContainTextAsync("http://127.0.0.1:8765/callback");
        await Expect(row).ToContainTextAsync("Efter utloggning: https://app.example/utloggad");
        await Expect(row).Not.ToContainTextAsync("https://app.example/callback");
        await AssertAccessibleAsync(page, "api-clients-addresses-saved");

        // The platform's audit log (no county's) has the change, by id only.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Granskningslogg (plattform)" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Plattformens granskningslogg");
        var entries = page.Locator("tbody tr");
        await Expect(entries).ToHaveCountAsync(3);
        await Expect(entries.First).ToContainTextAsync("api_client.addresses_changed");
        await Expect(entries.First).ToContainTextAsync("api_client:vvd-");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("app.example");
        await AssertAccessibleAsync(page, "platform-audit-log");
    }
}
