using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// The end of issue 9's journey, for real: the county configures Knivsta's own OpenID Connect login (a second process,
/// tests/support/VagaVaraDigital.OidcTestProvider); a Knivsta employee signs in e-mail first in Chromium, is sent to that
/// login and back, lands as MunicipalUser and sees only Knivsta — then nominates a leader, corrects and flags them.
/// No test identity header on the municipal side: the session is the BFF cookie the SSO callback set.
/// </summary>
[TestFixture]
public sealed class MunicipalSignInTests : BrowserTest
{
    OidcProvider _provider = null!;

    [OneTimeSetUp]
    public async Task StartProviderAsync() => _provider = await OidcProvider.StartAsync();

    [OneTimeTearDown]
    public async Task StopProviderAsync()
    {
        if (_provider is not null) await _provider.DisposeAsync();
    }

    string? _providerId;

    /// <summary>The provider goes away through the API as well, so the app's SSO catalog is empty again for the tests after.</summary>
    [TearDown]
    public async Task RemoveProviderAsync()
    {
        if (_providerId is null) return;
        var admin = await PageAsAsync("CountyAdmin", "03");
        await admin.APIRequest.DeleteAsync($"{BaseUrl}/t/uppsala/api/tenant/sso-providers/{_providerId}");
        _providerId = null;
    }

    [Test]
    public async Task Municipal_user_signs_in_through_their_organisations_login_and_sees_only_their_municipality()
    {
        // The county: two leaders (Knivsta and Uppsala) and Knivsta's login for knivsta.se.
        var admin = await PageAsAsync("CountyAdmin", "03");
        await CreateInviteeAsync(admin, "Kerstin", "Knutsson", "kerstin.knutsson@knivsta.se", "0330");
        await CreateInviteeAsync(admin, "Ulf", "Uppström", "ulf.uppstrom@uppsala.se", "0380");
        var clientId = $"vvd-e2e-{Guid.NewGuid():N}";
        var created = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/tenant/sso-providers", new()
        {
            DataObject = new
            {
                displayName = "Knivsta kommun", issuer = _provider.Issuer, clientId, clientSecret = "knivsta-hemlighet-e2e",
                domains = new[] { new { domain = "knivsta.se", municipalityCode = "0330" } },
            },
        });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        var provider = JsonDocument.Parse(await created.TextAsync()).RootElement;
        _providerId = provider.GetProperty("id").GetString();
        var redirectUri = provider.GetProperty("redirectUri").GetString()!;
        Assert.That(redirectUri, Does.StartWith(BaseUrl + "/signin-oidc/"));
        await _provider.RegisterClientAsync(clientId, "knivsta-hemlighet-e2e", redirectUri);

        // E-mail first → Knivsta's login (the provider signs in the login hint) → back, signed in.
        var page = await PageAsAsync();
        var visitedProvider = false;
        page.Request += (_, r) => { if (r.Url.StartsWith(_provider.Issuer + "authorize", StringComparison.Ordinal)) visitedProvider = true; };
        await GoAsync(page, "/konto/logga-in");
        await page.GetByLabel("E-postadress").FillAsync("maja.malm@knivsta.se");
        await Task.WhenAll(
            page.WaitForURLAsync($"{BaseUrl}/t/uppsala/", new() { WaitUntil = WaitUntilState.NetworkIdle }),
            page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync());
        Assert.That(visitedProvider, Is.True, "the browser went through the organisation's login");
        await Expect(page.Locator(".user-box")).ToContainTextAsync("Inloggad som maja.malm");
        await Expect(page.GetByText("Räckvidd i Knivsta")).ToBeVisibleAsync();
        await Expect(page.Locator(".big-number strong")).ToHaveTextAsync("0");
        await AssertAccessibleAsync(page, "sso-municipal-dashboard");

        // Only Knivsta's leaders.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Inbjudna" }).ClickAsync();
        await Expect(page.Locator("table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table tbody")).ToContainTextAsync("kerstin.knutsson@knivsta.se");
        await Expect(page.Locator("table tbody")).Not.ToContainTextAsync("ulf.uppstrom@uppsala.se");
        await AssertAccessibleAsync(page, "sso-municipal-invitees");

        // Nominate a leader of their own municipality …
        await GoAsync(page, "/t/uppsala/inbjudna/ny");
        await page.GetByLabel("Förnamn").FillAsync("Nils");
        await page.GetByLabel("Efternamn").FillAsync("Nyström");
        await page.Locator("#email").FillAsync("nils.nystrom@knivsta.se");
        await page.GetByLabel("Rollkategori").SelectOptionAsync("kommunledning");
        await page.GetByLabel("Titel").FillAsync("Kommundirektör");
        await AssertAccessibleAsync(page, "sso-municipal-nominate");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Nils Nyström");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat." })).ToBeVisibleAsync();
        await Expect(page.Locator(".danger-zone")).ToContainTextAsync("nominering från kommunen");

        // … correct the title and flag that they are no longer in office.
        await page.GetByLabel("Titel").FillAsync("Biträdande kommundirektör");
        await page.GetByLabel("Inte längre i tjänst").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "sso-municipal-corrected");
        await GoAsync(page, "/t/uppsala/inbjudna");
        await Expect(page.Locator("table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("table tbody")).ToContainTextAsync("nils.nystrom@knivsta.se");
        await Expect(page.Locator("table tbody")).Not.ToContainTextAsync("uppsala.se");
        // Import, export, the register extract and the nominations overview are the county's: not offered here.
        foreach (var name in new[] { "Importera fil", "Registerutdrag och radering", "Nomineringar per kommun", "Exportera som CSV (Excel, semikolon)" })
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = name })).ToHaveCountAsync(0);

        // The county sees the nomination in Knivsta with the correction.
        var seen = await admin.APIRequest.GetAsync($"{BaseUrl}/t/uppsala/api/invitees?source=nomination");
        var items = JsonDocument.Parse(await seen.TextAsync()).RootElement.GetProperty("items");
        Assert.That(items.GetArrayLength(), Is.EqualTo(1));
        Assert.That(items[0].GetProperty("municipalityCode").GetString(), Is.EqualTo("0330"));
        Assert.That(items[0].GetProperty("title").GetString(), Is.EqualTo("Biträdande kommundirektör"));
        Assert.That(items[0].GetProperty("noLongerInOffice").GetBoolean(), Is.True);

        // … and on the nominations screen: per municipality, who nominated whom and when.
        await GoAsync(admin, "/t/uppsala/inbjudna");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Nomineringar per kommun" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Nomineringar per kommun");
        var summary = admin.Locator("section[aria-labelledby='nominations-summary'] tbody tr");
        await Expect(summary).ToHaveCountAsync(1);
        await Expect(summary.First).ToContainTextAsync("Knivsta");
        await Expect(summary.First.Locator("td").First).ToHaveTextAsync("1");
        var knivsta = admin.Locator("section[aria-labelledby='kommun-0330'] tbody tr");
        await Expect(knivsta).ToHaveCountAsync(1);
        await Expect(knivsta.First).ToContainTextAsync("Nils Nyström");
        await Expect(knivsta.First).ToContainTextAsync("Biträdande kommundirektör");
        await Expect(knivsta.First).ToContainTextAsync("maja.malm");   // the nominator's name (from the SSO sign-in), given by the API
        await Expect(knivsta.First).Not.ToContainTextAsync("maja.malm@knivsta.se");   // never the nominator's address
        await Expect(knivsta.First).ToContainTextAsync("Inte längre i tjänst");
        await AssertAccessibleAsync(admin, "nominations-by-municipality");

        // A CountyEditor sees the same nominations, with the nominator's name too (not "a municipal user").
        var editor = await PageAsAsync("CountyEditor", "03");
        await GoAsync(editor, "/t/uppsala/inbjudna/nomineringar");
        var seenByEditor = editor.Locator("section[aria-labelledby='kommun-0330'] tbody tr").First;
        await Expect(seenByEditor).ToContainTextAsync("maja.malm");
        await Expect(seenByEditor).Not.ToContainTextAsync("en kommunanvändare");
        await AssertAccessibleAsync(editor, "nominations-by-municipality-editor");
    }

    static async Task CreateInviteeAsync(IPage admin, string first, string last, string email, string municipality)
    {
        var r = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/invitees", new()
        {
            DataObject = new { firstName = first, lastName = last, email, municipalityCode = municipality, roleCategory = "fortroendevald" },
        });
        Assert.That(r.Status, Is.EqualTo(201), await r.TextAsync());
    }
}
