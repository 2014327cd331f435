using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>The webcast screens beyond the journey: the month calendar (keyboard, Swedish weekdays) and a successful attendance import.</summary>
[TestFixture]
public sealed class WebcastScreensTests : BrowserTest
{
    static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
    static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    [Test]
    public async Task The_calendar_is_a_month_grid_starting_on_Monday_in_Swedish_that_the_keyboard_can_walk()
    {
        var admin = await PageAsAsync("CountyAdmin", "03");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Stockholm).Date;
        var day = new DateTime(today.Year, today.Month, 10).AddMonths(1);   // the 10th of next month
        await CreateWebcastAsync(admin, "Kalendersändningen", day.AddHours(10));

        await GoAsync(admin, "/t/uppsala/sandningar");
        await Expect(admin.Locator("table tbody tr")).ToHaveCountAsync(1);   // the list view stays the default
        await admin.GetByRole(AriaRole.Button, new() { Name = "Kalender" }).ClickAsync();
        var grid = admin.GetByRole(AriaRole.Grid);
        var month = day.ToString("MMMM yyyy", Swedish);
        await Expect(grid).ToHaveAccessibleNameAsync(month);   // opens on the next webcast's month
        var headers = grid.GetByRole(AriaRole.Columnheader);
        await Expect(headers).ToHaveCountAsync(7);
        await Expect(headers.First).ToContainTextAsync("måndag");
        await Expect(headers.Last).ToContainTextAsync("söndag");
        var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var cell = grid.Locator($"td[data-day='{key}']");
        await Expect(cell.GetByRole(AriaRole.Link)).ToHaveTextAsync("10:00 Kalendersändningen");
        await Expect(cell).ToHaveAttributeAsync("tabindex", "0");   // one tab stop: the webcast's day
        await AssertAccessibleAsync(admin, "webcasts-calendar");

        // The keyboard: Tab reaches the day's webcast, the arrows move by day and week, Page Down by month.
        await cell.FocusAsync();
        await admin.Keyboard.PressAsync("Tab");
        await Expect(cell.GetByRole(AriaRole.Link)).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Shift+Tab");
        await Expect(cell).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("ArrowRight");
        await Expect(grid.Locator($"td[data-day='{day.AddDays(1):yyyy-MM-dd}']")).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("ArrowDown");
        await Expect(grid.Locator($"td[data-day='{day.AddDays(8):yyyy-MM-dd}']")).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Home");
        var monday = day.AddDays(8).AddDays(-(((int)day.AddDays(8).DayOfWeek + 6) % 7));
        await Expect(grid.Locator($"td[data-day='{monday:yyyy-MM-dd}']")).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("PageDown");
        await Expect(grid).ToHaveAccessibleNameAsync(day.AddMonths(1).ToString("MMMM yyyy", Swedish));
        await Expect(grid.Locator("td:focus")).ToHaveCountAsync(1);
        await admin.Keyboard.PressAsync("PageUp");
        await Expect(grid).ToHaveAccessibleNameAsync(month);

        // The buttons, and back to the list.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Föregående månad" }).ClickAsync();
        await Expect(grid).ToHaveAccessibleNameAsync(day.AddMonths(-1).ToString("MMMM yyyy", Swedish));
        await Expect(grid.Locator("td[aria-current='date']")).ToHaveCountAsync(1);   // today is in that month
        await admin.GetByRole(AriaRole.Button, new() { Name = "Lista" }).ClickAsync();
        await Expect(admin.Locator("table tbody tr")).ToHaveCountAsync(1);
    }

    [Test]
    public async Task Staff_import_a_Zoom_report_match_a_guest_by_hand_and_the_attended_count_shows_it()
    {
        var admin = await PageAsAsync("CountyAdmin", "03");
        foreach (var (first, last, email) in new[] { ("Anna", "Andersson", "anna.andersson@uppsala.se"), ("Bo", "Berg", "bo.berg@uppsala.se"), ("Cecilia", "Ek", "cecilia.ek@uppsala.se") })
        {
            var r = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/invitees", new()
            {
                DataObject = new { firstName = first, lastName = last, email, municipalityCode = "0380", roleCategory = "fortroendevald" },
            });
            Assert.That(r.Status, Is.EqualTo(201), await r.TextAsync());
        }
        var id = await CreateWebcastAsync(admin, "Sändningen som har ägt rum", TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Stockholm).DateTime.AddDays(7));
        var invited = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/webcasts/{id}/invitations", new() { DataObject = new { } });
        Assert.That(invited.Status, Is.EqualTo(200), await invited.TextAsync());
        // The webcast took place three hours ago (the clock cannot be moved in a browser test; the row can).
        await using (var conn = await E2ERun.Database.OpenSuperuserAsync())
        await using (var cmd = new NpgsqlCommand("UPDATE webcasts SET starts_at = now() - interval '3 hours' WHERE id = @id", conn))
        {
            cmd.Parameters.AddWithValue("id", Guid.Parse(id));
            await cmd.ExecuteNonQueryAsync();
        }

        await GoAsync(admin, $"/t/uppsala/sandningar/{id}");
        var attended = admin.Locator("dt:text-is('Deltog') + dd");
        await Expect(attended).ToHaveTextAsync("0");
        var section = admin.Locator("section[aria-labelledby='attendance-import']");
        await admin.GetByLabel("Närvarorapport").SetInputFilesAsync(new FilePayload
        {
            Name = "zoom-webinar.csv", MimeType = "text/csv",
            Buffer = await File.ReadAllBytesAsync(Path.Combine(AppServer.RepoRoot, "tests", "VagaVaraDigital.Tests", "Webcasts", "Reports", "zoom-webinar.csv")),
        });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Förhandsgranska rapporten" }).ClickAsync();
        await Expect(section.GetByRole(AriaRole.Status)).ToContainTextAsync("3 deltagare i rapporten: 2 matchade, 1 utan matchning");
        await Expect(section.Locator("tbody tr").Filter(new() { Has = admin.Locator("th:text-is('Anna Andersson')") })).ToContainTextAsync("Matchad, räknas som deltagit");
        await Expect(section.Locator("tbody tr").Filter(new() { Has = admin.Locator("th:text-is('Bo Berg')") })).ToContainTextAsync("Matchad, under närvarogränsen");
        await AssertAccessibleAsync(admin, "attendance-import-preview");

        // The guest without an e-mail address was Cecilia: matched by hand, then read in.
        var match = admin.GetByLabel("Inbjudan för Gäst, utan e-post");
        var cecilia = await match.Locator("option", new() { HasText = "cecilia.ek@uppsala.se" }).GetAttributeAsync("value");
        await match.SelectOptionAsync(cecilia!);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Läs in närvaron" }).ClickAsync();
        await Expect(section.Locator("p.saved")).ToHaveTextAsync("Närvaron är inläst: 3 av 3 rader matchade.");
        await Expect(attended).ToHaveTextAsync("2");   // Anna (11 min) and Cecilia (29 min); Bo's 4 minutes are under the threshold
        await AssertAccessibleAsync(admin, "attendance-import-done");

        await GoAsync(admin, "/t/uppsala/sandningar");
        await Expect(admin.Locator("table tbody tr", new() { HasText = "Sändningen som har ägt rum" }).Locator("td").Last).ToHaveTextAsync("2");
    }

    [Test]
    public async Task Editing_a_webcast_with_the_keyboard_says_saved_on_its_page_once()
    {
        var admin = await PageAsAsync("CountyAdmin", "03");
        var start = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Stockholm).Date.AddDays(10).AddHours(9);
        var id = await CreateWebcastAsync(admin, "Sändningen som ändras", start);
        await GoAsync(admin, $"/t/uppsala/sandningar/{id}/andra");
        await admin.GetByLabel("Titel").FillAsync("Sändningen som har ändrats");
        var save = admin.GetByRole(AriaRole.Button, new() { Name = "Spara" });
        await save.FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        // The webcast's own page, with the new title and the status handed over from the form (said once, in a live region).
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sändningen som har ändrats");
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat." })).ToBeVisibleAsync();
        await AssertAccessibleAsync(admin, "webcast-edited");
        // Said once: going back to the page does not say it again.
        await admin.ReloadAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sändningen som har ändrats");
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat." })).ToHaveCountAsync(0);
    }

    [Test]
    public async Task Moving_and_cancelling_ask_in_the_page_saying_who_is_told_not_in_a_browser_dialog()
    {
        var admin = await PageAsAsync("CountyAdmin", "03");
        var dialogs = 0;
        admin.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        var r = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/invitees", new()
        {
            DataObject = new { firstName = "Anna", lastName = "Andersson", email = "anna.andersson@uppsala.se", municipalityCode = "0380", roleCategory = "fortroendevald" },
        });
        Assert.That(r.Status, Is.EqualTo(201), await r.TextAsync());
        var start = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Stockholm).Date.AddDays(14).AddHours(10);
        var id = await CreateWebcastAsync(admin, "Sändningen som flyttas", start);
        var invited = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/webcasts/{id}/invitations", new() { DataObject = new { } });
        Assert.That(invited.Status, Is.EqualTo(200), await invited.TextAsync());
        await GoAsync(admin, $"/t/uppsala/sandningar/{id}");

        // Move: the form asks first, with the new time and how many are told; Avbryt backs out.
        var newStart = start.AddDays(1).AddHours(3);
        await admin.GetByLabel("Ny start (svensk tid)").FillAsync(newStart.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Flytta sändningen" }).ClickAsync();
        var move = admin.GetByRole(AriaRole.Group, new() { Name = $"Flytta till {newStart:yyyy-MM-dd HH:mm}? 1 inbjuden person meddelas." });
        await Expect(move.GetByRole(AriaRole.Button, new() { Name = "Ja, flytta och meddela" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(admin, "webcast-confirm-move");
        await move.GetByRole(AriaRole.Button, new() { Name = "Avbryt" }).ClickAsync();
        await Expect(move).ToHaveCountAsync(0);
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Flytta sändningen" })).ToBeFocusedAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Flytta sändningen" }).ClickAsync();
        await move.GetByRole(AriaRole.Button, new() { Name = "Ja, flytta och meddela" }).ClickAsync();
        await Expect(admin.Locator("p.lead")).ToContainTextAsync($"{newStart.Day} ");
        await Expect(admin.Locator("p.lead")).ToContainTextAsync(newStart.ToString("HH:mm", CultureInfo.InvariantCulture));

        // Cancel: the same kind of confirmation, naming the webcast.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Ställ in sändningen" }).ClickAsync();
        var cancel = admin.GetByRole(AriaRole.Group, new() { Name = "Ställa in ”Sändningen som flyttas”? 1 inbjuden person meddelas. Det går inte att ångra." });
        await Expect(cancel.GetByRole(AriaRole.Button, new() { Name = "Ja, ställ in och meddela" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(admin, "webcast-confirm-cancel");
        await cancel.GetByRole(AriaRole.Button, new() { Name = "Ja, ställ in och meddela" }).ClickAsync();
        await Expect(admin.Locator("p.lead")).ToContainTextAsync("Inställd");
        Assert.That(dialogs, Is.Zero, "no window.confirm");
    }

    /// <summary>A scheduled webcast at a Stockholm time, created through the API as the page's identity; its id.</summary>
    static async Task<string> CreateWebcastAsync(IPage admin, string title, DateTime stockholmStart)
    {
        var created = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/webcasts", new()
        {
            DataObject = new
            {
                title, description = "En sändning i testet.", startsAt = stockholmStart.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
                durationMinutes = 60, platform = "zoom", joinUrl = "https://zoom.us/j/123456789", capacity = (int?)null,
                audienceMunicipalities = Array.Empty<string>(), audienceRoleCategories = Array.Empty<string>(),
            },
        });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        var id = JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("id").GetString()!;
        var scheduled = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/webcasts/{id}/schedule");
        Assert.That(scheduled.Status, Is.EqualTo(200), await scheduled.TextAsync());
        return id;
    }
}
