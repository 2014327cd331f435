using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>The invitee's public pages (Features/PublicPages) in Chromium without sign-in: they work and axe-core finds nothing.</summary>
[TestFixture]
public sealed class PublicPagesTests : BrowserTest
{
    const string Token = "e2e-token-0123456789abcdefghijklm";

    static async Task SeedInvitationAsync(TimeSpan startsIn)
    {
        await using var conn = await E2ERun.Database.OpenSuperuserAsync();
        await conn.ExecuteAsync("""
            WITH v AS (
              INSERT INTO invitees (tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code, role_category)
              VALUES ('03', 'Anna', 'Andersson', 'anna@example.se', 'anna@example.se', 'e2e-anna', '0380', 'fortroendevald') RETURNING id
            ), w AS (
              INSERT INTO webcasts (tenant_id, title, description, starts_at, duration_minutes, join_url, status, capacity)
              VALUES ('03', 'Digitaliseringen av planprocessen', E'Vad betyder den för dig som ledare?\n\nVälkommen!',
                      now() + @startsIn, 90, 'https://teams.microsoft.com/l/meetup-join/e2e', 'scheduled', 50) RETURNING id
            )
            INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token, status)
            SELECT '03', w.id, v.id, @Token, 'sent' FROM v, w
            """, new { startsIn, Token });
    }

    [Test]
    public async Task The_rsvp_page_works_without_javascript_and_is_accessible_before_and_after_answering()
    {
        await SeedInvitationAsync(TimeSpan.FromDays(14));
        var page = await PageAsAsync();
        await GoAsync(page, $"/t/uppsala/r/{Token}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Digitaliseringen av planprocessen");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "sv");
        await AssertAccessibleAsync(page, "rsvp");

        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, jag kommer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Du är anmäld");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Lägg till i kalendern" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "rsvp-accepted");

        var narrow = await PageAsAsync(width: 320, height: 800);
        await GoAsync(narrow, $"/t/uppsala/r/{Token}");
        await AssertNoHorizontalScrollAsync(narrow, "rsvp at 320px");
    }

    [Test]
    public async Task The_not_found_page_and_the_join_page_before_the_start_are_accessible()
    {
        await SeedInvitationAsync(TimeSpan.FromDays(3));
        var page = await PageAsAsync();
        var response = await GoAsync(page, "/t/uppsala/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.That(response!.Status, Is.EqualTo(404));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Länken fungerar inte");
        await AssertAccessibleAsync(page, "rsvp-not-found");

        await GoAsync(page, $"/t/uppsala/j/{Token}");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Länken öppnas");
        await AssertAccessibleAsync(page, "join-too-early");
    }

    [Test]
    public async Task Unsubscribing_and_undoing_it_work_in_the_browser_and_are_accessible()
    {
        await SeedInvitationAsync(TimeSpan.FromDays(14));
        var page = await PageAsAsync();
        await GoAsync(page, $"/t/uppsala/u/{Token}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Avregistrera dig");
        await AssertAccessibleAsync(page, "unsubscribe");

        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, avregistrera mig" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Du får inga fler mejl");
        await AssertAccessibleAsync(page, "unsubscribed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Ångra – jag vill få mejl igen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Välkommen tillbaka");
        await AssertAccessibleAsync(page, "unsubscribe-undone");

        await using var conn = await E2ERun.Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT status FROM invitees WHERE person_key = 'e2e-anna'"), Is.EqualTo("active"));
    }

    [Test]
    public async Task The_public_pages_fit_320_pixels_and_200_percent_zoom()
    {
        await SeedInvitationAsync(TimeSpan.FromDays(14));
        string[] paths = [$"/t/uppsala/r/{Token}", $"/t/uppsala/j/{Token}", $"/t/uppsala/u/{Token}", "/t/uppsala/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"];
        // 320 CSS pixels wide (WCAG 1.4.10), and 200 % zoom of a 1280×800 screen (640×400 at device scale factor 2).
        foreach (var (width, height, scale) in new[] { (320, 800, 1f), (640, 400, 2f) })
        {
            var page = await PageAsAsync(width: width, height: height, deviceScaleFactor: scale);
            foreach (var path in paths)
            {
                await GoAsync(page, path);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                await AssertNoHorizontalScrollAsync(page, $"{path} at {width}px ×{scale}");
            }
        }
    }
}
