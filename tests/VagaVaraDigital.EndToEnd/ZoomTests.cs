using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// 200 % zoom on a 1280×800 screen is a 640×400 CSS-pixel viewport at device scale factor 2. Every main screen,
/// as the role that uses it: nothing scrolls sideways (WCAG 1.4.10) except a data table inside a labelled,
/// focusable scroll region, and the skip link is the first Tab stop and moves focus to the main content.
/// </summary>
[TestFixture]
public sealed class ZoomTests : BrowserTest
{
    static readonly (string? Role, string? Tenant, string? Municipality, string[] Paths)[] Screens =
    [
        (null, null, null, ["/", "/tillganglighet", "/konto/logga-in", "/konto/glomt-losenord", "/t/uppsala/tillganglighet"]),
        ("CountyAdmin", "03", null, [
            "/t/uppsala/", "/t/uppsala/inbjudna", "/t/uppsala/inbjudna/ny", "/t/uppsala/inbjudna/import", "/t/uppsala/inbjudna/registerutdrag",
            "/t/uppsala/sandningar", "/t/uppsala/sandningar/ny", "/t/uppsala/e-post", "/t/uppsala/installningar", "/t/uppsala/installningar/inloggning",
            "/t/uppsala/installningar/dataskydd", "/t/uppsala/anvandare", "/t/uppsala/granskningslogg"]),
        ("CountyEditor", "03", null, ["/t/uppsala/", "/t/uppsala/inbjudna", "/t/uppsala/sandningar"]),
        ("MunicipalUser", "03", "0380", ["/t/uppsala/"]),
        ("NationalViewer", null, null, ["/", "/nationellt"]),
        ("SystemAdmin", null, null, ["/system/lan", "/system/api-klienter"]),
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
        foreach (var (role, tenant, municipality, paths) in Screens)
        {
            var page = await PageAsAsync(role, tenant, municipality, width: 640, height: 400, deviceScaleFactor: 2);
            foreach (var path in paths)
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
}
