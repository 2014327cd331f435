using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>Every screen that the landed APIs back, as the role that uses it: it works, and axe-core finds nothing.</summary>
[TestFixture]
public sealed class ScreensTests : BrowserTest
{
    [Test]
    public async Task Landing_page_lists_the_counties_on_a_map_and_in_a_list()
    {
        var page = await PageAsAsync();
        await GoAsync(page, "/");
        await Expect(page).ToHaveTitleAsync("Våga vara digital – Våga vara digital");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Välj län" })).ToBeVisibleAsync();
        await Expect(page.Locator(".map-svg path")).ToHaveCountAsync(21);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Länsstyrelsen i Uppsala län" }).First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "landing");

        // Hover and focus tell which county (the map is also a set of links).
        var uppsala = page.Locator(".map-svg a[aria-label='Länsstyrelsen i Uppsala län']");
        await uppsala.FocusAsync();
        await Expect(page.Locator(".map-info")).ToHaveTextAsync("Länsstyrelsen i Uppsala län");
        await Expect(uppsala).ToBeFocusedAsync();
        await Task.WhenAll(page.WaitForURLAsync("**/t/uppsala/", new() { WaitUntil = WaitUntilState.Commit }), uppsala.PressAsync("Enter"));
    }

    [Test]
    public async Task Skip_link_is_the_first_stop_and_moves_to_the_main_content()
    {
        var page = await PageAsAsync();
        await GoAsync(page, "/tillganglighet");
        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Hoppa till huvudinnehållet" });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();
    }

    [Test]
    public async Task Accessibility_statement_is_public_and_in_Swedish_with_an_English_switch_that_is_remembered()
    {
        var page = await PageAsAsync();
        await GoAsync(page, "/tillganglighet");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Tillgänglighetsredogörelse");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "sv");
        await AssertAccessibleAsync(page, "accessibility-statement");

        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Accessibility statement");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Accessibility statement");
        await AssertAccessibleAsync(page, "accessibility-statement-en");
    }

    [Test]
    public async Task Unknown_route_shows_the_not_found_page()
    {
        var page = await PageAsAsync();
        await GoAsync(page, "/t/uppsala/finns-inte");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sidan finns inte");
        await AssertAccessibleAsync(page, "not-found");
    }

    [Test]
    public async Task County_admin_sees_the_county_overview_with_its_county_on_the_map()
    {
        var page = await PageAsAsync("CountyAdmin", "03");
        await GoAsync(page, "/t/uppsala/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Länsstyrelsen i Uppsala län");
        await Expect(page.Locator(".map-svg .county.highlight")).ToHaveCountAsync(1);
        await AssertAccessibleAsync(page, "county-overview");
    }

    [Test]
    public async Task County_admin_changes_the_settings_and_the_change_is_in_the_audit_log()
    {
        var page = await PageAsAsync("CountyAdmin", "03");
        await GoAsync(page, "/t/uppsala/installningar");
        await Expect(page.GetByLabel("Avsändarnamn")).ToHaveValueAsync("Länsstyrelsen i Uppsala län");
        await AssertAccessibleAsync(page, "settings");

        // A mistake: a clear Swedish message tied to the field, nothing saved.
        await page.GetByLabel("Svarsadress (Reply-To)").FillAsync("inte-en-adress");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Ange en giltig e-postadress.");
        await Expect(page.GetByLabel("Svarsadress (Reply-To)")).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync(page, "settings-invalid");

        await page.GetByLabel("Svarsadress (Reply-To)").FillAsync("projekt@lansstyrelsen.se");
        await page.GetByLabel("Mål: antal nådda ledare").FillAsync("120");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat." })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Granskningslogg" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Granskningslogg");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeFocusedAsync();
        await Expect(page.Locator("table")).ToContainTextAsync("settings.updated");
        await AssertAccessibleAsync(page, "audit-log");
    }

    [Test]
    public async Task County_admin_invites_an_officer_and_switches_the_account_off()
    {
        var page = await PageAsAsync("CountyAdmin", "03");
        await GoAsync(page, "/t/uppsala/anvandare");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Användare");
        await page.GetByLabel("E-post (obligatorisk)").FillAsync("handlaggare@lansstyrelsen.se");
        await page.Locator("#displayName").FillAsync("Hans Handläggare");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skicka inbjudan" }).ClickAsync();
        await Expect(page.Locator("p.saved")).ToBeVisibleAsync();
        var row = page.Locator("tr", new() { HasText = "handlaggare@lansstyrelsen.se" });
        await Expect(row).ToContainTextAsync("Handläggare");
        await AssertAccessibleAsync(page, "users");
        await row.GetByRole(AriaRole.Button, new() { Name = "Stäng av Hans Handläggare" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Inaktiv");

        // Made a county administrator after the page's own confirmation, which says what changes for the person.
        await row.GetByRole(AriaRole.Button, new() { Name = "Gör Hans Handläggare till länsadministratör" }).ClickAsync();
        var confirm = row.GetByRole(AriaRole.Group);
        await Expect(confirm).ToContainTextAsync("tvåstegsverifiering vid nästa inloggning");
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Ja, ändra roll" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "users-confirm-role");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Ja, ändra roll" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Länsadministratör");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Gör Hans Handläggare till handläggare" })).ToBeVisibleAsync();
    }

    [Test]
    public async Task County_admin_sees_the_outbox_and_edits_a_template_with_a_live_preview()
    {
        var page = await PageAsAsync("CountyAdmin", "03");
        // One message in the outbox: an account invitation (no job server runs here, so it stays pending).
        var invited = await page.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/tenant/users", new()
        {
            DataObject = new { email = "ny.handlaggare@lansstyrelsen.se", displayName = "Ny Handläggare", role = "CountyEditor" },
        });
        Assert.That(invited.Status, Is.EqualTo(201), await invited.TextAsync());

        await GoAsync(page, "/t/uppsala/e-post");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("E-post");
        await Expect(page.Locator("div[role='region'][aria-labelledby='outbox'] tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("div[role='region'][aria-labelledby='outbox'] tbody")).ToContainTextAsync("ny.handlaggare@lansstyrelsen.se");
        await AssertAccessibleAsync(page, "email-outbox");

        var template = page.GetByLabel("Mall", new() { Exact = true });
        var first = await template.Locator("option").Nth(1).GetAttributeAsync("value");
        await template.SelectOptionAsync(first!);
        await Expect(page.Locator(".mail-preview")).ToBeVisibleAsync();
        await page.GetByLabel("Ämne", new() { Exact = true }).FillAsync("Testämne från länet");
        await Expect(page.Locator(".mail-preview")).ToContainTextAsync("Testämne från länet");
        await AssertAccessibleAsync(page, "email-template");
    }

    [Test]
    public async Task County_editor_is_told_settings_are_not_for_their_role()
    {
        var page = await PageAsAsync("CountyEditor", "03");
        await GoAsync(page, "/t/uppsala/installningar");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ingen behörighet");
        await AssertAccessibleAsync(page, "settings-forbidden");
    }

    [Test]
    public async Task National_viewer_sees_the_national_page_with_the_map_and_the_county_table()
    {
        var page = await PageAsAsync("NationalViewer");
        await GoAsync(page, "/nationellt");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Nationell uppföljning");
        await Expect(page.Locator(".map-svg path")).ToHaveCountAsync(21);
        await Expect(page.Locator("[aria-labelledby='counties'] tbody tr")).ToHaveCountAsync(21);
        await Expect(page.Locator(".big-number strong")).ToHaveTextAsync("0");
        await AssertAccessibleAsync(page, "national");
    }

    [Test]
    public async Task System_admin_deactivates_and_reactivates_a_county()
    {
        var page = await PageAsAsync("SystemAdmin");
        await GoAsync(page, "/system/lan");
        await Expect(page.Locator("table tbody tr")).ToHaveCountAsync(21);
        await AssertAccessibleAsync(page, "system-tenants");

        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        var row = page.Locator("tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "Länsstyrelsen i Gotlands län" }) });
        await row.GetByRole(AriaRole.Button, new() { Name = "Inaktivera Länsstyrelsen i Gotlands län" }).ClickAsync();
        // The app's own confirmation in the row (no browser dialog): it says what happens and takes focus.
        await Expect(row.GetByRole(AriaRole.Group)).ToContainTextAsync("Inaktivera Länsstyrelsen i Gotlands län? Länets användare kommer inte åt tjänsten");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Ja, inaktivera länet" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "system-tenants-confirm-deactivate");
        await row.GetByRole(AriaRole.Button, new() { Name = "Ja, inaktivera länet" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Inaktiv");
        Assert.That(dialogs, Is.Zero, "no window.confirm");
        await row.GetByRole(AriaRole.Button, new() { Name = "Aktivera Länsstyrelsen i Gotlands län" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Aktiv");
    }

    [TestCase(320)]
    [TestCase(640)]
    public async Task Screens_reflow_at_narrow_widths(int width)
    {
        var admin = await PageAsAsync("CountyAdmin", "03", width: width, height: 800);
        await ZoomTests.SeedScreensDataAsync(admin);   // a webcast (for the calendar) and a nomination
        foreach (var path in new[] { "/t/uppsala/", "/t/uppsala/inbjudna", "/t/uppsala/inbjudna/import", "/t/uppsala/inbjudna/nomineringar", "/t/uppsala/sandningar",
                     "/t/uppsala/sandningar?vy=kalender", "/t/uppsala/sandningar/ny", "/t/uppsala/installningar", "/t/uppsala/anvandare", "/t/uppsala/e-post",
                     "/t/uppsala/granskningslogg", "/t/uppsala/mina-installningar", "/t/uppsala/tillganglighet" })
        {
            await GoAsync(admin, path);
            await Expect(admin.Locator(".state-loading")).ToHaveCountAsync(0);
            await AssertNoHorizontalScrollAsync(admin, $"{path} at {width}px");
        }
        await admin.ScreenshotAsync(new() { Path = Path.Combine(E2ERun.Artifacts, $"audit-log-{width}px.png"), FullPage = true });

        var national = await PageAsAsync("SystemAdmin", width: width, height: 800);
        foreach (var path in new[] { "/", "/nationellt", "/system/lan", "/system/api-klienter", "/system/granskningslogg", "/system/e-post", "/konto/logga-in" })
        {
            await GoAsync(national, path);
            await Expect(national.Locator(".state-loading")).ToHaveCountAsync(0);
            await AssertNoHorizontalScrollAsync(national, $"{path} at {width}px");
        }
        await national.ScreenshotAsync(new() { Path = Path.Combine(E2ERun.Artifacts, $"system-tenants-{width}px.png"), FullPage = true });
        await AssertAccessibleAsync(national, $"system-tenants-{width}px");
    }
}
