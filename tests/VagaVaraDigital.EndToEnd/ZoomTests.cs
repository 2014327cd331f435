using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// 200 % zoom on a 1280×800 screen is a 640×400 CSS-pixel viewport at device scale factor 2. Every main screen,
/// as the role that uses it: nothing scrolls sideways (WCAG 1.4.10) except a data table inside a labelled,
/// focusable scroll region, and the skip link is the first Tab stop and moves focus to the main content.
/// "{webcast}" and "{invitee}" in a path are a scheduled webcast and a municipal nomination made for the test, so the
/// calendar, the nominations and the detail screens have something to show.
/// </summary>
[TestFixture]
public sealed class ZoomTests : BrowserTest
{
    static readonly (string? Role, string? Tenant, string? Municipality, string[] Paths)[] Screens =
    [
        (null, null, null, ["/", "/tillganglighet", "/konto/logga-in", "/konto/glomt-losenord", "/konto/nytt-losenord", "/konto/aktivera", "/t/uppsala/tillganglighet"]),
        ("CountyAdmin", "03", null, [
            "/t/uppsala/", "/t/uppsala/inbjudna", "/t/uppsala/inbjudna/ny", "/t/uppsala/inbjudna/{invitee}", "/t/uppsala/inbjudna/import",
            "/t/uppsala/inbjudna/nomineringar", "/t/uppsala/inbjudna/registerutdrag", "/t/uppsala/sandningar", "/t/uppsala/sandningar?vy=kalender",
            "/t/uppsala/sandningar/ny", "/t/uppsala/sandningar/{webcast}", "/t/uppsala/sandningar/{webcast}/andra", "/t/uppsala/e-post",
            "/t/uppsala/installningar", "/t/uppsala/installningar/inloggning", "/t/uppsala/installningar/dataskydd", "/t/uppsala/anvandare",
            "/t/uppsala/granskningslogg", "/t/uppsala/mina-installningar"]),
        ("CountyEditor", "03", null, ["/t/uppsala/", "/t/uppsala/inbjudna", "/t/uppsala/inbjudna/nomineringar", "/t/uppsala/sandningar",
            "/t/uppsala/sandningar?vy=kalender"]),
        ("MunicipalUser", "03", "0380", ["/t/uppsala/", "/t/uppsala/inbjudna", "/t/uppsala/inbjudna/{invitee}", "/t/uppsala/sandningar",
            "/t/uppsala/sandningar?vy=kalender"]),
        ("NationalViewer", null, null, ["/", "/nationellt"]),
        ("SystemAdmin", null, null, ["/system/lan", "/system/api-klienter", "/system/granskningslogg", "/system/e-post"]),
    ];

    /// <summary>
    /// Elements that scroll sideways: the document itself, or any box with overflow-x auto/scroll whose content is
    /// wider — unless it is a region with a name and tabindex that holds a table (the allowed exception).
    /// </summary>
    const string SidewaysScrollers = """
        () => {
          const out = [];
          const doc = document.documentElement;
          if (doc.scrollWidth > doc.clientWidth) out.push(`document ${doc.scrollWidth} > ${doc.clientWidth}`);
          for (const el of document.querySelectorAll('body *')) {
            if (el.scrollWidth <= el.clientWidth + 1) continue;
            const style = getComputedStyle(el);
            if (!['auto', 'scroll'].includes(style.overflowX)) continue;
            const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
            const allowed = el.getAttribute('role') === 'region' && labelled && el.getAttribute('tabindex') === '0' && el.querySelector('table');
            if (!allowed) out.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
          }
          return out;
        }
        """;

    [Test]
    public async Task Every_main_screen_fits_200_percent_zoom_and_starts_with_the_skip_link()
    {
        var problems = new List<string>();
        var (webcast, invitee) = await SeedScreensDataAsync(await PageAsAsync("CountyAdmin", "03"));
        foreach (var (role, tenant, municipality, paths) in Screens)
        {
            var page = await PageAsAsync(role, tenant, municipality, width: 640, height: 400, deviceScaleFactor: 2);
            foreach (var path in paths.Select(p => p.Replace("{webcast}", webcast).Replace("{invitee}", invitee)))
            {
                var name = $"{role ?? "anonymous"} {path}";
                await GoAsync(page, path);
                await Expect(page.Locator(".state-loading")).ToHaveCountAsync(0);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                foreach (var p in await page.EvaluateAsync<string[]>(SidewaysScrollers)) problems.Add($"{name}: {p}");

                await page.Keyboard.PressAsync("Tab");
                var skip = page.GetByRole(AriaRole.Link, new() { Name = "Hoppa till huvudinnehållet" });
                if (!await skip.EvaluateAsync<bool>("el => el === document.activeElement"))
                {
                    problems.Add($"{name}: the first Tab stop is {await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 120)")}");
                    continue;
                }
                await Expect(skip).ToBeInViewportAsync();
                await page.Keyboard.PressAsync("Enter");
                if (!await page.EvaluateAsync<bool>("() => document.activeElement?.id === 'main'")) problems.Add($"{name}: the skip link does not move focus to main");
            }
            var file = $"zoom-200-{role ?? "anonymous"}.png";
            await page.ScreenshotAsync(new() { Path = Path.Combine(E2ERun.Artifacts, file), FullPage = true });
        }
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        Assert.That(ConsoleErrors, Is.Empty);
    }

    /// <summary>
    /// Something for every screen to show: a scheduled webcast next month (the calendar opens on it) and an invitee
    /// nominated by a municipal user of Uppsala (0380). Returns their ids.
    /// </summary>
    internal static async Task<(string Webcast, string Invitee)> SeedScreensDataAsync(IPage admin)
    {
        var start = DateTime.UtcNow.AddMonths(1).Date.AddHours(9);
        var created = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/webcasts", new()
        {
            DataObject = new
            {
                title = "Digitaliseringen av planprocessen – en längre rubrik som ska radbrytas", description = "En sändning i testet.",
                startsAt = start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), durationMinutes = 60, platform = "zoom",
                joinUrl = "https://zoom.us/j/123456789", capacity = (int?)null,
                audienceMunicipalities = Array.Empty<string>(), audienceRoleCategories = Array.Empty<string>(),
            },
        });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        var webcast = JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("id").GetString()!;
        var scheduled = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/webcasts/{webcast}/schedule");
        Assert.That(scheduled.Status, Is.EqualTo(200), await scheduled.TextAsync());

        var nominated = await admin.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/invitees", new()
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = AppServer.Identity("MunicipalUser", "03", "0380") },
            DataObject = new { firstName = "Nora", lastName = "Nominerad", email = "nora.nominerad@uppsala.se", roleCategory = "kommunledning", title = "Kommundirektör" },
        });
        Assert.That(nominated.Status, Is.EqualTo(201), await nominated.TextAsync());
        var invitee = JsonDocument.Parse(await nominated.TextAsync()).RootElement.GetProperty("id").GetString()!;
        return (webcast, invitee);
    }
}
