using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// System → platform outbox (SystemAdmin, "/system/e-post"): the mail to accounts without a county — empty at first,
/// then real invitations of two NationalViewers, one of which failed; its error is shown and it is sent again after
/// the page's own confirmation (no browser dialog). axe-core finds nothing at any step.
/// </summary>
[TestFixture]
public sealed class PlatformOutboxTests : BrowserTest
{
    [Test]
    public async Task System_admin_sees_a_failed_platform_email_and_sends_it_again()
    {
        var page = await PageAsAsync("SystemAdmin");
        await GoAsync(page, "/system/e-post");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Plattformens utkorg");
        await Expect(page.GetByText("Plattformens utkorg är tom.")).ToBeVisibleAsync();
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "E-post (plattform)" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Granskningslogg (plattform)" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "platform-outbox-empty");

        // Two invitations through the real flow (the test app runs no sender, so they wait); one has failed for good.
        foreach (var (email, name) in new[] { ("lm@lantmateriet.se", "Lantmäteriet"), ("statistik@lantmateriet.se", "Statistik") })
        {
            var invited = await page.APIRequest.PostAsync($"{BaseUrl}/api/system/users", new()
            {
                DataObject = new { email, role = "NationalViewer", displayName = name },
            });
            Assert.That(invited.Status, Is.EqualTo(201), await invited.TextAsync());
        }
        await using (var conn = await E2ERun.Database.OpenSuperuserAsync())
        {
            await conn.ExecuteAsync("""
                UPDATE platform_email_outbox SET status = 'failed', attempts = 8, last_error = '5.1.1 <lm@lantmateriet.se>: mailbox unavailable'
                WHERE to_address = 'lm@lantmateriet.se'
                """);
        }
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        var summary = page.GetByRole(AriaRole.Region, new() { Name = "Mejl per status" });
        await Expect(summary).ToContainTextAsync("Misslyckades1");
        await Expect(summary).ToContainTextAsync("Väntar1");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
        await AssertAccessibleAsync(page, "platform-outbox-list");

        await page.GetByLabel("Visa status").SelectOptionAsync(new SelectOptionValue { Label = "Misslyckades" });
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        var row = page.Locator("tbody tr", new() { HasText = "lm@lantmateriet.se" });
        var show = row.GetByRole(AriaRole.Button, new() { Name = "Visa detaljer för lm@lantmateriet.se" });
        await show.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Dölj detaljer för lm@lantmateriet.se" })).ToHaveAttributeAsync("aria-expanded", "true");
        var detail = page.Locator(".outbox-detail");
        await Expect(detail).ToContainTextAsync("5.1.1 <lm@lantmateriet.se>: mailbox unavailable");
        await Expect(detail).ToContainTextAsync("Kontoinbjudan");
        await AssertAccessibleAsync(page, "platform-outbox-detail");

        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await detail.GetByRole(AriaRole.Button, new() { Name = "Skicka igen till lm@lantmateriet.se" }).ClickAsync();
        var confirm = detail.GetByRole(AriaRole.Group);
        await Expect(confirm).ToContainTextAsync("Skicka mejlet till lm@lantmateriet.se igen?");
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Ja, skicka igen" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "platform-outbox-confirm-retry");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Ja, skicka igen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "ligger i kö igen" }))
            .ToHaveTextAsync("Mejlet till lm@lantmateriet.se ligger i kö igen.");
        await Expect(page.GetByText("Inga mejl med status ”Misslyckades”.")).ToBeVisibleAsync();
        Assert.That(dialogs, Is.Zero, "no window.confirm");

        await page.GetByLabel("Visa status").SelectOptionAsync(new SelectOptionValue { Label = "Alla statusar" });
        await Expect(summary).ToContainTextAsync("Väntar2");
        await using (var conn = await E2ERun.Database.OpenSuperuserAsync())
        {
            Assert.That(await conn.ExecuteScalarAsync<string>("SELECT status FROM platform_email_outbox WHERE to_address = 'lm@lantmateriet.se'"), Is.EqualTo("pending"));
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM platform_audit_log WHERE action = 'platform_email.retried'"), Is.EqualTo(1));
        }
        await AssertAccessibleAsync(page, "platform-outbox-retried");
        Assert.That(ConsoleErrors, Is.Empty);
    }
}
