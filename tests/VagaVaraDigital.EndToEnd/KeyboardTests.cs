using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// Core flows with the keyboard alone (WCAG 2.1.1): every control is reached with Tab (a control that Tab never reaches,
/// or a trap, fails the test), shows visible focus, and is operated with typing, Space and Enter — no clicks.
/// </summary>
[TestFixture]
public sealed class KeyboardTests : BrowserTest
{
    /// <summary>Presses Tab until <paramref name="target"/> has focus; fails after 80 presses.</summary>
    static async Task TabToAsync(IPage page, ILocator target, string what)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement"))
            {
                // Visible focus (WCAG 2.4.7): the focused control draws an outline or a focus ring.
                var style = await target.EvaluateAsync<string>("el => { const s = getComputedStyle(el); return `${s.outlineStyle} ${s.outlineWidth} | ${s.boxShadow}`; }");
                Assert.That(style, Does.Not.StartWith("none").Or.Not.EndWith("| none"), $"{what} shows no focus: {style}");
                return;
            }
        }
        Assert.Fail($"Tab never reached {what}");
    }

    [Test]
    public async Task A_county_editor_adds_an_invitee_and_invites_people_to_a_webcast_with_the_keyboard_alone()
    {
        var page = await PageAsAsync("CountyEditor", "03");

        // A new invitee: the form from the top, field by field.
        await GoAsync(page, "/t/uppsala/inbjudna/ny");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await TabToAsync(page, page.Locator("#firstName"), "the first name");
        await page.Keyboard.TypeAsync("Karin");
        await TabToAsync(page, page.Locator("#lastName"), "the last name");
        await page.Keyboard.TypeAsync("Tangentsson");
        await TabToAsync(page, page.Locator("#email"), "the e-mail address");
        await page.Keyboard.TypeAsync("karin.tangentsson@enkoping.se");
        await TabToAsync(page, page.Locator("#municipalityCode"), "the organisation");
        await page.Keyboard.TypeAsync("Enköping");
        await Expect(page.Locator("#municipalityCode")).ToHaveValueAsync("0381");
        await TabToAsync(page, page.Locator("#roleCategory"), "the role category");
        await page.Keyboard.TypeAsync("Kommunledning");
        await Expect(page.Locator("#roleCategory")).ToHaveValueAsync("kommunledning");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Spara", Exact = true }), "Spara");
        await page.Keyboard.PressAsync("Enter");
        // Saved: the page moves to the new invitee's own address, shows what was typed and says "Sparat." once it is
        // there (the form stays mounted through the move; a fresh one had lost the status), with the focus still on Spara.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/t/uppsala/inbjudna/[0-9a-f-]{36}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Karin Tangentsson");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat." })).ToBeVisibleAsync();
        await Expect(page.Locator("#lastName")).ToHaveValueAsync("Tangentsson");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Spara", Exact = true })).ToBeFocusedAsync();

        // A scheduled webcast (made through the API): the audience picker and the send button.
        var created = await page.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/webcasts", new()
        {
            DataObject = new
            {
                title = "Tangentbordets sändning", description = "", startsAt = DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd'T'09:00"),
                durationMinutes = 60, platform = "teams", joinUrl = "https://teams.microsoft.com/l/meetup-join/kbd", capacity = (int?)null,
                audienceMunicipalities = Array.Empty<string>(), audienceRoleCategories = Array.Empty<string>(),
            },
        });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        var webcast = JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("id").GetString();
        Assert.That((await page.APIRequest.PostAsync($"{BaseUrl}/t/uppsala/api/webcasts/{webcast}/schedule")).Status, Is.EqualTo(200));

        await GoAsync(page, $"/t/uppsala/sandningar/{webcast}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Tangentbordets sändning");
        var enkoping = page.GetByRole(AriaRole.Checkbox, new() { Name = "Enköping" }).First;
        await TabToAsync(page, enkoping, "the Enköping checkbox");
        await page.Keyboard.PressAsync("Space");
        await Expect(enkoping).ToBeCheckedAsync();
        await Expect(page.Locator(".live-count")).ToContainTextAsync("1 ny person bjuds in");
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Bjud in 1 person och skicka e-post" });
        await TabToAsync(page, send, "the send button");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Inbjudningar skapade: 1.")).ToBeVisibleAsync();
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task An_officer_signs_in_and_out_with_the_keyboard_alone()
    {
        const string password = "tangenter och tabbar hela vägen hem";
        await using (var scope = E2ERun.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
            var user = new PlatformUser
            {
                UserName = "tangent@lansstyrelsen.se", Email = "tangent@lansstyrelsen.se", EmailConfirmed = true, Role = Roles.CountyEditor,
                TenantId = "03", DisplayName = "Tove Tangent", CreatedAt = DateTime.UtcNow,
            };
            Assert.That((await users.CreateAsync(user, password)).Succeeded);
        }

        var page = await PageAsAsync();
        await GoAsync(page, "/konto/logga-in?tillbaka=%2Ft%2Fuppsala%2F");
        await TabToAsync(page, page.GetByLabel("E-postadress"), "the e-mail address");
        await page.Keyboard.TypeAsync("tangent@lansstyrelsen.se");
        await page.Keyboard.PressAsync("Enter");
        var passwordField = page.Locator("#password");
        await Expect(passwordField).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/t/uppsala/");
        await Expect(page.Locator(".user-box")).ToContainTextAsync("Inloggad som Tove Tangent");

        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }), "Logga ut");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/konto/logga-in");
        Assert.That(ConsoleErrors, Is.Empty);
    }
}
