using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;
using VagaVaraDigital.Api.Features.Identity;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>The real sign-in (BFF cookie session), without the test identity: invitation → password → MFA enrolment → signed in → out.</summary>
[TestFixture]
public sealed class SignInTests : BrowserTest
{
    const string Password = "en lång mening om kaffe och kanelbullar";

    [Test]
    public async Task County_admin_accepts_the_invitation_enrols_MFA_signs_in_and_out()
    {
        string userId, token;
        await using (var scope = E2ERun.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
            var user = new PlatformUser
            {
                UserName = "projektledare@lansstyrelsen.se", Email = "projektledare@lansstyrelsen.se", Role = Roles.CountyAdmin, TenantId = "03",
                DisplayName = "Pia Projektledare", CreatedAt = DateTime.UtcNow,
            };
            Assert.That((await users.CreateAsync(user)).Succeeded);
            userId = user.Id;
            token = await users.GenerateUserTokenAsync(user, InvitationTokenProvider.TokenName, Accounts.InvitationPurpose);
        }

        var page = await PageAsAsync();
        await GoAsync(page, $"/konto/aktivera?anvandare={Uri.EscapeDataString(userId)}&kod={Uri.EscapeDataString(token)}");
        await AssertAccessibleAsync(page, "account-activate");
        await page.GetByLabel("Nytt lösenord").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara lösenordet" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Lösenordet är sparat");

        await GoAsync(page, "/konto/logga-in?tillbaka=%2Ft%2Fuppsala%2F");
        await AssertAccessibleAsync(page, "sign-in-email");
        await page.GetByLabel("E-postadress").FillAsync("projektledare@lansstyrelsen.se");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await page.GetByLabel("Lösenord").FillAsync(Password);
        await AssertAccessibleAsync(page, "sign-in-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();

        // CountyAdmin must use MFA: enrolment on the first sign-in.
        var key = (await page.Locator("code.key").TextContentAsync())!.Replace(" ", "");
        await AssertAccessibleAsync(page, "sign-in-mfa-enrolment");
        await page.GetByLabel("Kod från appen").FillAsync(new Totp(Base32Encoding.ToBytes(key)).ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Aktivera tvåstegsverifiering" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dina reservkoder" })).ToBeVisibleAsync();
        await Expect(page.Locator(".codes li")).ToHaveCountAsync(10);
        await AssertAccessibleAsync(page, "sign-in-recovery-codes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();

        await page.WaitForURLAsync("**/t/uppsala/");
        await Expect(page.Locator(".user-box")).ToContainTextAsync("Inloggad som Pia Projektledare");
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" });
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Inställningar" })).ToBeVisibleAsync();
        await menu.GetByRole(AriaRole.Link, new() { Name = "Inställningar" }).ClickAsync();
        await Expect(page.GetByLabel("Avsändarnamn")).ToHaveValueAsync("Länsstyrelsen i Uppsala län");

        // A change through the cookie session carries the antiforgery token.
        await page.GetByLabel("Mål: antal nådda ledare").FillAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat." })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await page.WaitForURLAsync("**/konto/logga-in");
        await GoAsync(page, "/t/uppsala/installningar");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("logga in", new() { IgnoreCase = true });
    }

    [Test]
    public async Task Wrong_password_gets_the_same_answer_as_an_unknown_address()
    {
        var page = await PageAsAsync();
        await GoAsync(page, "/konto/logga-in");
        await page.GetByLabel("E-postadress").FillAsync("finns-inte@lansstyrelsen.se");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await page.GetByLabel("Lösenord").FillAsync("fel lösenord helt enkelt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Inloggningen misslyckades");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Fel e-postadress eller lösenord");
        await AssertAccessibleAsync(page, "sign-in-failed");
    }
}
