using System.Text;
using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Jobs;
using VagaVaraDigital.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// Issue 9's journey, as far as the landed features allow: a CountyAdmin imports a CSV, creates and publishes a
/// webcast and invites; the invitee answers on the RSVP page, downloads the calendar file and joins through the
/// tracked link; the county dashboard then shows 1 reached, a NationalViewer sees it in the national total, and a
/// MunicipalUser sees only their municipality. Every screen on the way passes axe-core.
/// The invitation e-mail is sent by the real outbox sender to an SMTP sink on loopback and the RSVP link is read
/// from it. The MunicipalUser here uses a test identity header; the real sign-in through a municipality's OpenID Connect
/// provider, nomination and correction are MunicipalSignInTests.
/// </summary>
[TestFixture]
public sealed class JourneyTests : BrowserTest
{
    const string Csv = "Förnamn;Efternamn;E-post;Kommun;Roll;Titel\r\n" +
        "Anna;Åberg;anna.aberg@uppsala.se;Uppsala;Förtroendevald;Kommunstyrelsens ordförande\r\n" +
        "Bo;Ek;bo.ek@enkoping.se;Enköping;Kommunledning;Kommundirektör\r\n";

    [Test]
    public async Task County_admin_imports_invites_and_the_reached_leader_shows_in_every_report()
    {
        var admin = await PageAsAsync("CountyAdmin", "03");

        // 1. Import: upload → check (dry run) → commit.
        await GoAsync(admin, "/t/uppsala/inbjudna/import");
        await AssertAccessibleAsync(admin, "import-upload");
        await admin.GetByLabel("Fil", new() { Exact = true }).SetInputFilesAsync(new FilePayload
        {
            Name = "inbjudna.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Csv),
        });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Kontrollera filen" }).ClickAsync();
        await Expect(admin.GetByText("2 nya personer")).ToBeVisibleAsync();
        await Expect(admin.GetByText("Inga fel hittades.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(admin, "import-review");
        await admin.GetByRole(AriaRole.Button, new() { NameRegex = new("^Importera") }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Importen är klar" })).ToBeVisibleAsync();

        await GoAsync(admin, "/t/uppsala/inbjudna");
        await Expect(admin.Locator("table tbody tr")).ToHaveCountAsync(2);
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "2 personer" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(admin, "invitees");

        // 2. A webcast that starts in 15 minutes (the tracked join link opens 30 minutes before).
        var start = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(15), TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        await GoAsync(admin, "/t/uppsala/sandningar/ny");
        await admin.GetByLabel("Titel").FillAsync("Digitaliseringen av samhällsbyggnadsprocessen");
        await admin.GetByLabel("Start (svensk tid)").FillAsync(start.ToString("yyyy-MM-dd'T'HH:mm"));
        await admin.GetByLabel("Längd i minuter").FillAsync("60");
        await admin.GetByLabel("Länk till mötet").FillAsync("https://teams.microsoft.com/l/meetup-join/e2e");
        await AssertAccessibleAsync(admin, "webcast-new");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Digitaliseringen av samhällsbyggnadsprocessen");
        // The webcast's own page says it was saved (the form that saved it is gone: the status comes with the navigation).
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sparat." })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Publicera sändningen" }).ClickAsync();

        // 3. Invite with the audience picker's live count.
        await Expect(admin.Locator(".live-count")).ToContainTextAsync("2 nya personer bjuds in");
        await admin.GetByRole(AriaRole.Checkbox, new() { Name = "Enköping" }).First.CheckAsync();
        await Expect(admin.Locator(".live-count")).ToContainTextAsync("1 ny person bjuds in");
        await admin.GetByRole(AriaRole.Checkbox, new() { Name = "Uppsala" }).First.CheckAsync();
        await Expect(admin.Locator(".live-count")).ToContainTextAsync("2 nya personer bjuds in");
        await AssertAccessibleAsync(admin, "webcast-invite");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Bjud in 2 personer och skicka e-post" }).ClickAsync();
        await Expect(admin.GetByText("Inbjudningar skapade: 2.")).ToBeVisibleAsync();
        await Expect(admin.Locator("#invitations ~ * table tbody tr, section[aria-labelledby='invitations'] tbody tr")).ToHaveCountAsync(2);
        await AssertAccessibleAsync(admin, "webcast-invitations");

        // A broken attendance report: a clear message, nothing read in.
        await admin.GetByLabel("Närvarorapport").SetInputFilesAsync(new FilePayload
        {
            Name = "rapport.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("det här är ingen närvarorapport\n"),
        });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Förhandsgranska rapporten" }).ClickAsync();
        await Expect(admin.Locator("section[aria-labelledby='attendance-import'] [role='alert']")).ToBeVisibleAsync();
        await AssertAccessibleAsync(admin, "attendance-import-error");

        // 4. The invitation e-mail goes out through the real sender to an SMTP sink; the invitee opens its RSVP link.
        await using var sink = await SmtpSink.StartAsync();
        var sent = await DrainOutboxAsync(sink);
        Assert.That(sent, Is.GreaterThanOrEqualTo(2));
        var mail = sink.Messages.First(m => m.To.Mailboxes.Any(a => a.Address == "anna.aberg@uppsala.se"));
        var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? mail.HtmlBody ?? "", @"https?://[^\s""<>]+/t/uppsala/r/[A-Za-z0-9_-]+").Value;
        Assert.That(link, Does.StartWith(BaseUrl + "/t/uppsala/r/"), mail.TextBody);
        var token = link[(link.LastIndexOf('/') + 1)..];
        var invitee = await PageAsAsync();
        await GoAsync(invitee, $"/t/uppsala/r/{token}");
        await AssertAccessibleAsync(invitee, "rsvp");
        await invitee.GetByRole(AriaRole.Button, new() { NameRegex = new("^Ja, jag kommer") }).ClickAsync();
        await Expect(invitee.Locator(".notice")).ToContainTextAsync("Tack! Du är anmäld.");
        await AssertAccessibleAsync(invitee, "rsvp-accepted");
        var ics = await invitee.APIRequest.GetAsync($"{BaseUrl}/t/uppsala/r/{token}/kalender.ics");
        Assert.That(ics.Status, Is.EqualTo(200));
        Assert.That(await ics.TextAsync(), Does.Contain("BEGIN:VCALENDAR").And.Contain("Europe/Stockholm"));
        var join = await invitee.APIRequest.GetAsync($"{BaseUrl}/t/uppsala/j/{token}", new() { MaxRedirects = 0 });
        Assert.That(join.Status, Is.EqualTo(302));
        Assert.That(join.Headers["location"], Is.EqualTo("https://teams.microsoft.com/l/meetup-join/e2e"));

        // 5. The county dashboard shows 1 reached.
        await GoAsync(admin, "/t/uppsala/");
        await Expect(admin.Locator(".big-number strong")).ToHaveTextAsync("1");
        // … and the answer at the top of the latest answers: name, webcast, answer, when.
        var latest = admin.Locator("section[aria-labelledby='latest-answers'] tbody tr");
        await Expect(latest).ToHaveCountAsync(1);
        await Expect(latest.First).ToContainTextAsync("Anna Åberg");
        await Expect(latest.First).ToContainTextAsync("Digitaliseringen av samhällsbyggnadsprocessen");
        await Expect(latest.First).ToContainTextAsync("Tackat ja");   // the answer she gave, though she has since joined …
        await Expect(latest.First).Not.ToContainTextAsync("Deltog");  // … which is the invitation's status, not an answer
        await Expect(latest.First.Locator("td").Last).ToContainTextAsync(DateTime.UtcNow.Year.ToString());
        await AssertAccessibleAsync(admin, "county-dashboard");

        // 6. A NationalViewer sees it in the national total.
        var national = await PageAsAsync("NationalViewer");
        await GoAsync(national, "/nationellt");
        await Expect(national.Locator(".big-number strong")).ToHaveTextAsync("1");
        await Expect(national.Locator(".map-svg path")).ToHaveCountAsync(21);
        await AssertAccessibleAsync(national, "national-dashboard");

        // 7. A MunicipalUser of Enköping sees only Enköping's leaders and its reach line (0 reached).
        var municipal = await PageAsAsync("MunicipalUser", "03", "0381");
        await GoAsync(municipal, "/t/uppsala/inbjudna");
        await Expect(municipal.Locator("table tbody tr")).ToHaveCountAsync(1);
        await Expect(municipal.Locator("table tbody")).ToContainTextAsync("bo.ek@enkoping.se");
        await Expect(municipal.Locator("table tbody")).Not.ToContainTextAsync("uppsala.se");
        await AssertAccessibleAsync(municipal, "municipal-invitees");
        await GoAsync(municipal, "/t/uppsala/");
        await Expect(municipal.Locator(".big-number strong")).ToHaveTextAsync("0");
        await AssertAccessibleAsync(municipal, "municipal-dashboard");
    }

    /// <summary>The app's outbox sender, pointed at the sink, run until nothing is due (as the e-mail tests do).</summary>
    static async Task<int> DrainOutboxAsync(SmtpSink sink)
    {
        var sp = E2ERun.App.Services;
        var options = new EmailOptions { SmtpHost = "127.0.0.1", SmtpPort = sink.Port, SmtpSecurity = "none", BatchSize = 50 };
        var sender = new OutboxSender(sp, Options.Create(options), Options.Create(new JobsOptions()), sp.GetRequiredService<NpgsqlDataSource>(),
            TimeProvider.System, NullLogger<OutboxSender>.Instance);
        await using var session = new SmtpTransport(options, NullLogger<SmtpTransport>.Instance).OpenSession();
        var total = 0;
        for (var n = -1; n != 0;)
        {
            n = await sender.SendBatchAsync(session, "e2e", CancellationToken.None);
            total += n;
        }
        return total;
    }

    static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = await E2ERun.Database.OpenSuperuserAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
