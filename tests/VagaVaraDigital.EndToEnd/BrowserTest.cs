using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// Base for browser tests: a clean database per test, a fresh browser context per identity (Swedish locale,
/// Stockholm time), console errors collected (a page with a console error fails), and an accessibility
/// check that runs axe-core with the WCAG 2.0/2.1 A and AA tags and saves a screenshot under artifacts/e2e.
/// </summary>
public abstract class BrowserTest
{
    static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    readonly List<IBrowserContext> _contexts = [];
    protected readonly List<string> ConsoleErrors = [];

    protected static string BaseUrl => E2ERun.App.BaseUrl;

    [SetUp]
    public async Task ResetAsync()
    {
        ConsoleErrors.Clear();
        await E2ERun.Database.ResetAsync();
    }

    [TearDown]
    public async Task CloseContextsAsync()
    {
        foreach (var c in _contexts) await c.CloseAsync();
        _contexts.Clear();
    }

    /// <summary>A page signed in as the test identity (null = anonymous), at the given viewport width.</summary>
    protected async Task<IPage> PageAsAsync(string? role = null, string? tenantId = null, string? municipality = null, int width = 1280, int height = 900,
        float deviceScaleFactor = 1)
    {
        var options = new BrowserNewContextOptions
        {
            Locale = "sv-SE",
            TimezoneId = "Europe/Stockholm",
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            DeviceScaleFactor = deviceScaleFactor,
        };
        if (role is not null)
            options.ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = AppServer.Identity(role, tenantId, municipality) };
        var context = await E2ERun.Browser.NewContextAsync(options);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, msg) =>
        {
            // A 4xx answer the screen handles (a validation problem, a 403 it explains) is logged by the browser
            // itself; that is not an error of the page. Everything else (5xx, script errors) is.
            if (msg.Type == "error" && !msg.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal))
                ConsoleErrors.Add($"{page.Url}: {msg.Text}");
        };
        page.PageError += (_, error) => ConsoleErrors.Add($"{page.Url}: {error}");
        return page;
    }

    protected static Task<IResponse?> GoAsync(IPage page, string path) =>
        page.GotoAsync(BaseUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

    /// <summary>axe-core with zero violations, no console errors, and a screenshot saved as an artifact.</summary>
    protected async Task AssertAccessibleAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator(".state-loading")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2ERun.Artifacts, $"{name}.png"), FullPage = true });
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
        });
        var report = new StringBuilder();
        foreach (var v in result.Violations)
        {
            report.AppendLine($"{v.Id} ({v.Impact}): {v.Help}");
            foreach (var n in v.Nodes.Take(5))
            {
                var why = string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message));
                report.AppendLine($"    {n.Target}: {n.Html} — {why}");
            }
        }
        Assert.That(result.Violations, Is.Empty, $"axe-core on {name} ({page.Url}):\n{report}");
        Assert.That(ConsoleErrors, Is.Empty, $"console errors on {name}");
    }

    /// <summary>Content fits the viewport (WCAG 1.4.10 reflow): nothing scrolls sideways at this width.</summary>
    protected static async Task AssertNoHorizontalScrollAsync(IPage page, string name)
    {
        var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scroll, client) = (sizes[0], sizes[1]);
        if (scroll <= client) return;
        // Name the culprits: the outermost elements that reach past the right edge outside any scroll region (positioned ones escape it).
        var culprits = await page.EvaluateAsync<string[]>("""
            () => {
              const width = document.documentElement.clientWidth, out = [];
              const clipped = (el) => { if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false; for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
              for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.right > width + 1 && !clipped(el) && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1))
                  out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} right=${Math.round(r.right)}`);
              }
              return out.slice(0, 5);
            }
            """);
        Assert.That(scroll, Is.LessThanOrEqualTo(client), $"{name} scrolls sideways ({scroll} > {client}): {string.Join("; ", culprits)}");
    }
}
