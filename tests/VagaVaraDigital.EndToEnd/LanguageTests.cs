using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>The language is remembered per person: chosen in one browser, applied after sign-in in another.</summary>
[TestFixture]
public sealed class LanguageTests : BrowserTest
{
    const string Email = "handlaggare@lansstyrelsen.se";
    const string Password = "en lång mening om kaffe och kanelbullar";

    static async Task SignInAsync(IPage page)
    {
        await GoAsync(page, "/konto/logga-in?tillbaka=%2Ft%2Fuppsala%2F");
        await page.Locator("#email").FillAsync(Email);
        await page.Locator("#email").PressAsync("Enter");
        await page.Locator("#password").FillAsync(Password);
        await Task.WhenAll(page.WaitForURLAsync("**/t/uppsala/"), page.Locator("#password").PressAsync("Enter"));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    static async Task CreateUserAsync()
    {
        await using (var scope = E2ERun.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
            var created = await users.CreateAsync(new PlatformUser
            {
                UserName = Email, Email = Email, EmailConfirmed = true, Role = Roles.CountyEditor, TenantId = "03", DisplayName = "Hanna Handläggare",
                CreatedAt = DateTime.UtcNow, IsActive = true,
            }, Password);
            Assert.That(created.Succeeded, string.Join(", ", created.Errors.Select(e => e.Description)));
        }
    }

    [Test]
    public async Task A_language_chosen_in_one_browser_is_applied_after_sign_in_in_another()
    {
        await CreateUserAsync();

        // The office computer: signs in (Swedish, the default) and switches to English.
        var office = await PageAsAsync();
        await SignInAsync(office);
        var menu = office.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" });
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Inbjudna" })).ToBeVisibleAsync();
        var stored = office.WaitForResponseAsync(r => r.Url.EndsWith("/api/me/preferences") && r.Request.Method == "PUT");
        await office.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        Assert.That((await stored).Status, Is.EqualTo(200));
        await Expect(office.Locator("html")).ToHaveAttributeAsync("lang", "en");

        // A laptop that has never seen this person: Swedish until the sign-in, English after it.
        var laptop = await PageAsAsync();
        await GoAsync(laptop, "/konto/logga-in");
        await Expect(laptop.Locator("html")).ToHaveAttributeAsync("lang", "sv");
        await SignInAsync(laptop);
        await Expect(laptop.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(laptop.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" }).GetByRole(AriaRole.Link, new() { Name = "Invitees" })).ToBeVisibleAsync();
        await Expect(laptop.Locator(".user-box")).ToContainTextAsync("Hanna Handläggare");
        await AssertAccessibleAsync(laptop, "language-after-sign-in-en");

        // Back to Swedish on the laptop: the account follows, and the office computer (which remembered English
        // locally) shows Swedish on its next page load.
        var back = laptop.WaitForResponseAsync(r => r.Url.EndsWith("/api/me/preferences") && r.Request.Method == "PUT");
        await laptop.GetByRole(AriaRole.Button, new() { Name = "På svenska" }).ClickAsync();
        Assert.That((await back).Status, Is.EqualTo(200));
        await office.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(office.Locator("html")).ToHaveAttributeAsync("lang", "sv");
        await Expect(office.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Inbjudna" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(office, "language-after-sign-in-sv");
    }

    [Test]
    public async Task After_a_reload_the_first_text_painted_is_in_the_account_language()
    {
        await CreateUserAsync();
        var page = await PageAsAsync();
        // Every text the page shows, in order, as it first appears in the document (recorded from the first byte on).
        await page.AddInitScriptAsync("""
            window.__texts = [];
            new MutationObserver(() => {
              const root = document.getElementById('root');
              const text = root ? root.textContent.trim() : '';
              if (text && window.__texts[window.__texts.length - 1] !== text) window.__texts.push(text);
            }).observe(document, { childList: true, subtree: true, characterData: true });
            """);
        await SignInAsync(page);
        // The account says Swedish (chosen there last); this browser still remembers English from earlier.
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        var stored = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/me/preferences") && r.Request.Method == "PUT");
        await page.GetByRole(AriaRole.Button, new() { Name = "På svenska" }).ClickAsync();
        Assert.That((await stored).Status, Is.EqualTo(200));
        await page.EvaluateAsync("() => localStorage.setItem('vvd.lang', 'en')");

        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Inbjudna" })).ToBeVisibleAsync();
        var texts = await page.EvaluateAsync<string[]>("() => window.__texts");
        Assert.That(texts, Is.Not.Empty);
        Assert.That(texts[0], Does.Contain("Hoppa till huvudinnehållet"), "the first text painted: " + texts[0]);
        Assert.That(texts.Where(t => t.Contains("Skip to main content") || t.Contains("Invitees")), Is.Empty,
            "English was never painted:\n" + string.Join("\n", texts.Select(t => t[..Math.Min(120, t.Length)])));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "sv");

        // The other way round: the account says English, the browser Swedish; English from the first text on.
        var english = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/me/preferences") && r.Request.Method == "PUT");
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        Assert.That((await english).Status, Is.EqualTo(200));
        await page.EvaluateAsync("() => localStorage.setItem('vvd.lang', 'sv')");
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" })).ToBeVisibleAsync();
        texts = await page.EvaluateAsync<string[]>("() => window.__texts");
        Assert.That(texts[0], Does.Contain("Skip to main content"), "the first text painted: " + texts[0]);
        Assert.That(texts.Where(t => t.Contains("Hoppa till huvudinnehållet")), Is.Empty);
        Assert.That(ConsoleErrors, Is.Empty);
    }
}
