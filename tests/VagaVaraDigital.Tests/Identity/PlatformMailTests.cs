using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Npgsql;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Jobs;
using VagaVaraDigital.Tests.Email;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// Accounts without a tenant (SystemAdmin, NationalViewer) get their invitation and password reset by e-mail too,
/// through the platform outbox (docs/decisions/0015), delivered over real SMTP to an in-process sink.
/// </summary>
public sealed partial class PlatformMailTests : ApiTest
{
    SmtpSink _sink = null!;

    [SetUp]
    public async Task StartSinkAsync() => _sink = await SmtpSink.StartAsync();

    [TearDown]
    public async Task StopSinkAsync() => await _sink.DisposeAsync();

    /// <summary>Runs the platform sender of the shared app against the sink until nothing is due.</summary>
    async Task<int> DrainAsync()
    {
        var harness = new SenderHarness(_sink);
        var sp = App.Services;
        var sender = new PlatformOutboxSender(sp, Microsoft.Extensions.Options.Options.Create(harness.Options),
            Microsoft.Extensions.Options.Options.Create(new JobsOptions()), sp.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System,
            NullLogger<PlatformOutboxSender>.Instance);
        await using var session = harness.Transport().OpenSession();
        var total = 0;
        for (var n = -1; n != 0; total += n) n = await sender.SendBatchAsync(session, "test", CancellationToken.None);
        return total;
    }

    static (string UserId, string Token) LinkIn(MimeMessage message, string path)
    {
        var match = Regex.Match(message.TextBody ?? "", $@"https?://[^\s)\]>]+/konto/{path}\?[^\s)\]>]+");
        Assert.That(match.Success, Is.True, message.TextBody);
        var query = HttpUtility.ParseQueryString(new Uri(match.Value).Query);
        return (query["anvandare"]!, query["kod"]!);
    }

    [Test]
    public async Task SystemAdmin_invites_a_NationalViewer_who_gets_the_link_by_email_and_sets_a_password()
    {
        using var invite = await App.ClientAs("SystemAdmin").PostAsJsonAsync("/api/system/users",
            new { email = "lm@lantmateriet.se", role = "NationalViewer", displayName = "Lantmäteriet" });
        Assert.That(invite.StatusCode, Is.EqualTo(HttpStatusCode.Created), await invite.Content.ReadAsStringAsync());
        var json = await JsonAsync(invite);
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("emailed").GetBoolean(), Is.True);
            Assert.That(json.GetProperty("activationLink").ValueKind, Is.EqualTo(JsonValueKind.Null), "the link goes by e-mail only");
        });

        Assert.That(await DrainAsync(), Is.EqualTo(1));
        var mail = _sink.Messages.Single();
        Assert.Multiple(() =>
        {
            Assert.That(mail.To.Mailboxes.Single().Address, Is.EqualTo("lm@lantmateriet.se"));
            Assert.That(mail.From.Mailboxes.Single().Name, Is.EqualTo("Våga vara digital"));
            Assert.That(mail.Subject, Does.StartWith("Ditt konto i Våga vara digital"));
            Assert.That(mail.Headers["Auto-Submitted"], Is.EqualTo("auto-generated"), "no unsubscribe link on account mail");
        });
        var (userId, token) = LinkIn(mail, "aktivera");

        var browser = new Browser(App);
        await browser.SessionAsync();
        using var accept = await browser.PostAsync("/api/auth/invitations/accept", new { userId, token, password = "statistik över hela landet" });
        Assert.That(accept.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await accept.Content.ReadAsStringAsync());
        Assert.That(await browser.SignInAsync("lm@lantmateriet.se", "statistik över hela landet"), Is.EqualTo("mfa_enrolment_required"));

        await using var conn = await Database.OpenSuperuserAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM email_outbox"), Is.Zero, "no tenant's outbox holds it");
            Assert.That(await conn.ExecuteScalarAsync<string>("SELECT status FROM platform_email_outbox"), Is.EqualTo("sent"));
        });
        Assert.That(await DrainAsync(), Is.Zero, "sent once");
    }

    [Test]
    public async Task A_SystemAdmin_resets_a_forgotten_password_by_email()
    {
        await TestUsers.CreateAsync(App, "drift@vagavaradigital.se", Roles.SystemAdmin);
        var browser = new Browser(App);
        await browser.SessionAsync();
        using (var forgot = await browser.PostAsync("/api/auth/password/forgot", new { email = "drift@vagavaradigital.se" }))
            Assert.That(forgot.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        Assert.That(await DrainAsync(), Is.EqualTo(1));
        var mail = _sink.Messages.Single();
        Assert.That(mail.Subject, Does.StartWith("Återställ ditt lösenord"));
        var (userId, token) = LinkIn(mail, "nytt-losenord");
        using (var reset = await browser.PostAsync("/api/auth/password/reset", new { userId, token, password = "ett nytt lösenord för driften" }))
            Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await reset.Content.ReadAsStringAsync());
        using (var old = await browser.PostAsync("/api/auth/sign-in", new { email = "drift@vagavaradigital.se", password = TestUsers.Password }))
            await AssertProblemAsync(old, 401, "sign_in_failed");
        Assert.That(await browser.SignInAsync("drift@vagavaradigital.se", "ett nytt lösenord för driften"), Is.EqualTo("mfa_enrolment_required"));
    }

    [Test]
    public async Task A_refused_delivery_is_retried_later_and_then_sent()
    {
        await TestUsers.CreateAsync(App, "lm@lantmateriet.se", Roles.NationalViewer);
        var browser = new Browser(App);
        await browser.SessionAsync();
        using (await browser.PostAsync("/api/auth/password/forgot", new { email = "lm@lantmateriet.se" })) { }

        _sink.Respond = _ => new SmtpServer.Protocol.SmtpResponse(SmtpServer.Protocol.SmtpReplyCode.Aborted, "4.3.0 try again later");
        Assert.That(await DrainAsync(), Is.EqualTo(1));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT status FROM platform_email_outbox"), Is.EqualTo("pending"), "a temporary refusal waits");

        _sink.Respond = null;
        await conn.ExecuteAsync("UPDATE platform_email_outbox SET next_attempt_at = now()");
        Assert.That(await DrainAsync(), Is.EqualTo(1));
        Assert.That(_sink.Messages.Single().To.Mailboxes.Single().Address, Is.EqualTo("lm@lantmateriet.se"));
    }
}
