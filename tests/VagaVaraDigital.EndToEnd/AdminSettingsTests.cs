using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// The county's SSO providers and data protection settings (CountyAdmin), the data-subject extract and erasure
/// (county staff) and the API clients (SystemAdmin): each used by keyboard and mouse, checked with axe-core.
/// </summary>
[TestFixture]
public sealed class AdminSettingsTests : BrowserTest
{
    [Test]
    public async Task County_admin_adds_edits_and_deletes_a_municipal_sign_in_provider()
    {
        var page = await PageAsAsync("CountyAdmin", "03");
        await GoAsync(page, "/t/uppsala/installningar");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Inställningarnas delar" }).GetByRole(AriaRole.Link, new() { Name = "Inloggning för kommuner" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Inloggning för kommuner (SSO)");
        await Expect(page.GetByText("Länet har inga inloggningstjänster ännu.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "sso-providers-empty");

        await page.GetByRole(AriaRole.Button, new() { Name = "Lägg till inloggningstjänst" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ny inloggningstjänst" })).ToBeFocusedAsync();
        await page.GetByLabel("Namn").FillAsync("Knivsta kommun");
        await page.GetByLabel("Utfärdare (issuer)").FillAsync("https://login.knivsta.se/");
        await page.GetByLabel("Klient-id").FillAsync("vvd-knivsta");
        await page.GetByLabel("E-postdomän 1").FillAsync("knivsta.se");
        await page.GetByLabel("Kommun för domän 1").SelectOptionAsync(new SelectOptionValue { Label = "Knivsta" });
        // Forgotten secret: a clear message tied to the field, nothing saved.
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Ange klienthemligheten.");
        await Expect(page.GetByLabel("Klienthemlighet")).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync(page, "sso-provider-invalid");

        await page.GetByLabel("Klienthemlighet").FillAsync("hemligt-värde-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lägg till en domän" }).ClickAsync();
        await page.GetByLabel("E-postdomän 2").FillAsync("kommun.knivsta.se");
        await page.GetByLabel("Kommun för domän 2").SelectOptionAsync(new SelectOptionValue { Label = "Knivsta" });
        // The keyboard submits the form.
        var resp = await page.RunAndWaitForResponseAsync(() => page.GetByLabel("E-postdomän 2").PressAsync("Enter"), r => r.Url.Contains("sso-providers") && r.Request.Method == "POST");
        Assert.That(resp.Status, Is.EqualTo(201), await resp.TextAsync());
        var card = page.Locator(".provider-list > li", new() { HasText = "Knivsta kommun" });
        await Expect(card).ToContainTextAsync("knivsta.se → Knivsta");
        await Expect(card).ToContainTextAsync("kommun.knivsta.se → Knivsta");
        await Expect(card).ToContainTextAsync("Sparad (visas inte)");
        await Expect(card.Locator("code")).ToContainTextAsync("/signin-oidc/");
        Assert.That(await page.ContentAsync(), Does.Not.Contain("hemligt-värde-123"));
        await AssertAccessibleAsync(page, "sso-providers");

        // Edit without touching the secret: it stays.
        await card.GetByRole(AriaRole.Button, new() { Name = "Ändra Knivsta kommun" }).ClickAsync();
        await Expect(page.GetByLabel("Namn")).ToHaveValueAsync("Knivsta kommun");
        await Expect(page.GetByLabel("Klienthemlighet")).ToHaveValueAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ta bort domän 2" }).ClickAsync();
        await page.GetByLabel("Namn").FillAsync("Knivsta kommuns inloggning");
        await AssertAccessibleAsync(page, "sso-provider-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        card = page.Locator(".provider-list > li", new() { HasText = "Knivsta kommuns inloggning" });
        await Expect(card).ToContainTextAsync("Sparad (visas inte)");
        await Expect(card).Not.ToContainTextAsync("kommun.knivsta.se");

        // Delete: a confirmation that says what happens; Escape backs out, then confirm.
        await card.GetByRole(AriaRole.Button, new() { Name = "Ta bort Knivsta kommuns inloggning" }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Ja, ta bort" })).ToBeFocusedAsync();
        await Expect(card).ToContainTextAsync("kan inte längre logga in");
        await AssertAccessibleAsync(page, "sso-provider-confirm-delete");
        await page.Keyboard.PressAsync("Escape");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Ta bort Knivsta kommuns inloggning" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Ja, ta bort" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Länet har inga inloggningstjänster ännu.")).ToBeVisibleAsync();
    }

    [Test]
    public async Task County_admin_sets_the_legal_basis_purpose_and_retention_and_purges_now()
    {
        var page = await PageAsAsync("CountyAdmin", "03");
        await GoAsync(page, "/t/uppsala/installningar/dataskydd");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Dataskydd (GDPR)");
        await Expect(page.GetByLabel("Lagringstid i månader")).ToHaveValueAsync("24");
        await Expect(page.GetByLabel("Rättslig grund")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("artikel 6.1 e"));
        await AssertAccessibleAsync(page, "privacy");

        await page.GetByLabel("Lagringstid i månader").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Lagringstiden ska vara 1–120 månader.");
        await AssertAccessibleAsync(page, "privacy-invalid");

        await page.GetByLabel("Ändamål").FillAsync("Inbjudningar till webbsändningarna och uppföljning av räckvidden.");
        await page.GetByLabel("Lagringstid i månader").FillAsync("36");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat." })).ToBeVisibleAsync();
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(page.GetByLabel("Lagringstid i månader")).ToHaveValueAsync("36");
        await Expect(page.GetByLabel("Ändamål")).ToHaveValueAsync("Inbjudningar till webbsändningarna och uppföljning av räckvidden.");

        // The public notice says the same.
        var notice = await page.APIRequest.GetAsync($"{BaseUrl}/t/uppsala/api/privacy");
        Assert.That(await notice.TextAsync(), Does.Contain("\"retentionMonths\":36"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Gallra nu" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ja, gallra nu" })).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, gallra nu" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Gallringen är klar: 0 inbjudna raderades." })).ToBeVisibleAsync();
        await Expect(page.GetByText("Senaste gallring:")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "privacy-purged");

        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Data protection (GDPR)");
        await Expect(page.GetByLabel("Retention period in months")).ToHaveValueAsync("36");
        await AssertAccessibleAsync(page, "privacy-en");
    }

    [Test]
    public async Task County_admin_downloads_a_register_extract_and_erases_the_person()
    {
        var page = await PageAsAsync("CountyAdmin", "03");
        var created = await page.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/invitees", new()
        {
            DataObject = new { firstName = "Rut", lastName = "Registersson", email = "rut.registersson@uppsala.se", municipalityCode = "0380", roleCategory = "kommunledning" },
        });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());

        await GoAsync(page, "/t/uppsala/inbjudna");
        await page.GetByRole(AriaRole.Link, new() { Name = "Registerutdrag och radering" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Registerutdrag och radering");
        await AssertAccessibleAsync(page, "subject-access");

        await page.GetByLabel("E-postadress").FillAsync("inte en adress");
        await page.GetByLabel("E-postadress").PressAsync("Enter");
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Ange en giltig e-postadress.");

        await page.GetByLabel("E-postadress").FillAsync("Rut.Registersson@uppsala.se");
        await page.GetByLabel("E-postadress").PressAsync("Enter");
        var result = page.GetByRole(AriaRole.Region, new() { Name = "Uppgifter om rut.registersson@uppsala.se" });
        await Expect(result).ToContainTextAsync("Rut Registersson");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Uppgifter om rut.registersson@uppsala.se" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "subject-access-found");

        var download = await page.RunAndWaitForDownloadAsync(() => result.GetByRole(AriaRole.Button, new() { Name = "Ladda ner registerutdraget (JSON)" }).ClickAsync());
        Assert.That(download.SuggestedFilename, Does.StartWith("registerutdrag-rut.registersson_uppsala.se-").And.EndWith(".json"));
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync((await download.PathAsync())!)))
        {
            Assert.That(json.RootElement.GetProperty("email").GetString(), Is.EqualTo("rut.registersson@uppsala.se"));
            Assert.That(json.RootElement.GetProperty("invitee").GetProperty("lastName").GetString(), Is.EqualTo("Registersson"));
            Assert.That(json.RootElement.GetProperty("notice").GetProperty("legalBasis").GetString(), Is.Not.Empty);
        }

        await result.GetByRole(AriaRole.Button, new() { Name = "Radera personuppgifterna för rut.registersson@uppsala.se" }).ClickAsync();
        await Expect(result).ToContainTextAsync("Radera alla personuppgifter om rut.registersson@uppsala.se? Det går inte att ångra.");
        await Expect(result.GetByRole(AriaRole.Button, new() { Name = "Ja, radera för gott" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "subject-access-confirm-erase");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Personuppgifterna är raderade." })).ToBeVisibleAsync();
        await Expect(result).ToContainTextAsync("Länet har inga personuppgifter om den här adressen.");
        await AssertAccessibleAsync(page, "subject-access-erased");

        var list = await page.APIRequest.GetAsync($"{BaseUrl}/t/uppsala/api/invitees?status=erased");
        Assert.That(await list.TextAsync(), Does.Not.Contain("Registersson"));
    }

    [Test]
    public async Task County_editor_reaches_the_extract_from_the_invitee_and_erases_there_after_a_confirmation()
    {
        var page = await PageAsAsync("CountyEditor", "03");
        var created = await page.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/invitees", new()
        {
            DataObject = new { firstName = "Erik", lastName = "Exempelsson", email = "erik.exempelsson@uppsala.se", municipalityCode = "0380", roleCategory = "kommunledning" },
        });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        var id = JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("id").GetString();

        await GoAsync(page, $"/t/uppsala/inbjudna/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Registerutdrag och radering" }).ClickAsync();
        await Expect(page.GetByLabel("E-postadress")).ToHaveValueAsync("erik.exempelsson@uppsala.se");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Uppgifter om erik.exempelsson@uppsala.se" })).ToContainTextAsync("Erik Exempelsson");
        await page.GoBackAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        // Back is a client-side move: the extract's page (with its own "Radera personuppgifterna för …" button) can
        // still be on screen while the invitee's page renders, so wait for that page and name its button exactly.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Erik Exempelsson");

        await page.GetByRole(AriaRole.Button, new() { Name = "Radera personuppgifterna", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Group)).ToContainTextAsync("Radera personuppgifterna för Erik Exempelsson? Det går inte att ångra.");
        await AssertAccessibleAsync(page, "invitee-confirm-erase");
        // The erasure's own answer is checked first: when it is not a success, the test says what the API answered
        // (a timeout waiting for the list said nothing — seen once in about 30 runs).
        var erasure = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Ja, radera för gott" }).ClickAsync(),
            r => r.Request.Method == "DELETE" && r.Url.Contains($"/api/invitees/{id}"));
        if (erasure.Status != 204) Assert.Fail($"The erasure answered {erasure.Status}: {await erasure.TextAsync()}");
        await page.WaitForURLAsync("**/t/uppsala/inbjudna");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Inbjudna");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Personuppgifterna är raderade." })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Exempelsson");
    }

    [Test]
    public async Task County_editor_opts_an_invitee_out_after_the_apps_own_confirmation_not_a_browser_dialog()
    {
        var page = await PageAsAsync("CountyEditor", "03");
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        var created = await page.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/invitees", new()
        {
            DataObject = new { firstName = "Olle", lastName = "Optut", email = "olle.optut@uppsala.se", municipalityCode = "0380", roleCategory = "kommunledning" },
        });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        var id = JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("id").GetString();

        await GoAsync(page, $"/t/uppsala/inbjudna/{id}");
        var optOut = page.GetByRole(AriaRole.Button, new() { Name = "Registrera att personen inte vill ha e-post" });
        await optOut.ClickAsync();
        var confirm = page.GetByRole(AriaRole.Group, new() { Name = "Olle Optut får ingen mer e-post från länet och bjuds inte in till fler sändningar. Fortsätta?" });
        await Expect(confirm).ToBeVisibleAsync();
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Ja, inga fler mejl" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "invitee-confirm-opt-out");

        // Escape backs out and gives focus back; nothing changed.
        await page.Keyboard.PressAsync("Escape");
        await Expect(confirm).ToHaveCountAsync(0);
        await Expect(optOut).ToBeFocusedAsync();
        var before = await page.APIRequest.GetAsync($"{BaseUrl}/t/uppsala/api/invitees/{id}");
        Assert.That(JsonDocument.Parse(await before.TextAsync()).RootElement.GetProperty("status").GetString(), Is.EqualTo("active"));

        // The keyboard confirms.
        await page.Keyboard.PressAsync("Enter");
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Ja, inga fler mejl" })).ToBeFocusedAsync();
        var answer = await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Enter"), r => r.Url.EndsWith("/opt-out") && r.Request.Method == "POST");
        Assert.That(answer.Status, Is.EqualTo(204));
        await Expect(optOut).ToHaveCountAsync(0);   // no longer offered: the person has opted out
        var after = await page.APIRequest.GetAsync($"{BaseUrl}/t/uppsala/api/invitees/{id}");
        Assert.That(JsonDocument.Parse(await after.TextAsync()).RootElement.GetProperty("status").GetString(), Is.EqualTo("opted_out"));
        Assert.That(dialogs, Is.Zero, "no window.confirm");
        await AssertAccessibleAsync(page, "invitee-opted-out");
    }

    [Test]
    public async Task County_admin_turns_the_daily_digest_off_under_my_settings_and_an_editor_is_not_offered_it()
    {
        var page = await PageAsAsync("CountyAdmin", "03");
        await GoAsync(page, "/t/uppsala/installningar");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Inställningarnas delar" }).GetByRole(AriaRole.Link, new() { Name = "Mina inställningar" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mina inställningar");
        var digest = page.GetByRole(AriaRole.Checkbox, new() { Name = "Skicka mig den dagliga sammanfattningen" });
        await Expect(digest).ToBeCheckedAsync();   // on by default
        await AssertAccessibleAsync(page, "my-settings");

        await digest.UncheckAsync();
        var saved = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync(),
            r => r.Url.EndsWith("/api/email/my-settings") && r.Request.Method == "PUT");
        Assert.That(saved.Status, Is.EqualTo(200), await saved.TextAsync());
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat" })).ToHaveTextAsync("Sparat. Du får inte längre den dagliga sammanfattningen.");
        await AssertAccessibleAsync(page, "my-settings-saved");

        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Skicka mig den dagliga sammanfattningen" })).Not.ToBeCheckedAsync();

        // The digest is the county administrators': the page tells an editor their role may not.
        var editor = await PageAsAsync("CountyEditor", "03");
        await GoAsync(editor, "/t/uppsala/mina-installningar");
        await Expect(editor.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await AssertAccessibleAsync(editor, "my-settings-editor");
    }

    [Test]
    public async Task System_admin_registers_an_api_client_sees_the_secret_once_and_revokes_it()
    {
        var page = await PageAsAsync("SystemAdmin");
        await GoAsync(page, "/system/lan");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "API-klienter" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("API-klienter");
        await Expect(page.GetByText("Inga API-klienter är registrerade.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "api-clients-empty");

        await page.GetByRole(AriaRole.Button, new() { Name = "Registrera" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Ange ett namn på högst 200 tecken.");

        await page.GetByLabel("Namn").FillAsync("Lantmäteriets statistik");
        await page.GetByLabel("Namn").PressAsync("Enter");
        var created = page.GetByRole(AriaRole.Region, new() { Name = "Lantmäteriets statistik är registrerad" });
        await Expect(created).ToContainTextAsync("Den visas bara den här gången");
        var secret = (await created.Locator("code.secret").TextContentAsync())!;
        Assert.That(secret, Has.Length.GreaterThanOrEqualTo(40));
        var row = page.Locator("tbody tr", new() { HasText = "Lantmäteriets statistik" });
        await Expect(row).ToContainTextAsync("reach.read");
        await Expect(row).ToContainTextAsync("Maskinklient");
        await AssertAccessibleAsync(page, "api-clients-created");

        // Shown once: not in the list, and gone after a reload.
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.That(await page.ContentAsync(), Does.Not.Contain(secret));

        await row.GetByRole(AriaRole.Button, new() { Name = "Återkalla Lantmäteriets statistik" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Systemet kan inte längre hämta nya token.");
        await AssertAccessibleAsync(page, "api-clients-confirm-revoke");
        await row.GetByRole(AriaRole.Button, new() { Name = "Ja, återkalla" }).ClickAsync();
        await Expect(page.GetByText("Inga API-klienter är registrerade.")).ToBeVisibleAsync();
    }

    [Test]
    public async Task New_screens_reflow_at_320_px()
    {
        var admin = await PageAsAsync("CountyAdmin", "03", width: 320, height: 800);
        foreach (var path in new[] { "/t/uppsala/installningar/inloggning", "/t/uppsala/installningar/dataskydd", "/t/uppsala/inbjudna/registerutdrag" })
        {
            await GoAsync(admin, path);
            await Expect(admin.Locator(".state-loading")).ToHaveCountAsync(0);
            await AssertNoHorizontalScrollAsync(admin, $"{path} at 320px");
        }
        await GoAsync(admin, "/t/uppsala/installningar/inloggning");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Lägg till inloggningstjänst" }).ClickAsync();
        await AssertNoHorizontalScrollAsync(admin, "SSO form at 320px");
        await AssertAccessibleAsync(admin, "sso-provider-form-320px");

        var system = await PageAsAsync("SystemAdmin", width: 320, height: 800);
        await GoAsync(system, "/system/api-klienter");
        await Expect(system.Locator(".state-loading")).ToHaveCountAsync(0);
        await AssertNoHorizontalScrollAsync(system, "/system/api-klienter at 320px");
        await AssertAccessibleAsync(system, "api-clients-320px");
    }
}
