using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Jobs;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

/// <summary>
/// SystemAdmin's view of the platform outbox (<c>/api/system/email/outbox</c>, ADR 0015): mail to accounts without a
/// county, its failures, the kept .eml, and a new try of a failed message — recorded in the platform's audit log.
/// </summary>
public sealed class PlatformOutboxApiTests : ApiTest
{
    const string Outbox = "/api/system/email/outbox";

    static HttpClient Admin() => App.ClientAs("SystemAdmin");

    static async Task<long> EnqueueAsync(string kind, string address, string userId)
    {
        using var scope = App.Services.CreateScope();
        await using var uow = await scope.ServiceProvider.GetRequiredService<Db>().BeginGlobalAsync();
        await PlatformOutbox.EnqueueAsync(uow, new PlatformMessage(kind, $"user:{userId}:{kind}:{Guid.NewGuid():N}", address, userId,
            new { link = "https://localhost/konto/aktivera?kod=x", role = "NationalViewer", displayName = "Lantmäteriet" }));
        await uow.CommitAsync();
        await using var conn = await Database.OpenSuperuserAsync();
        return await conn.ExecuteScalarAsync<long>("SELECT max(id) FROM platform_email_outbox");
    }

    static async Task FailAsync(long id, string error = "5.1.1 mailbox unavailable", int attempts = 8)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        await conn.ExecuteAsync("UPDATE platform_email_outbox SET status = 'failed', attempts = @attempts, last_error = @error WHERE id = @id",
            new { id, attempts, error });
    }

    /// <summary>The row as the database has it (status, attempts, error, last change) and the platform audit log's size.</summary>
    static async Task<(string Status, int Attempts, string? Error, DateTime UpdatedAt, long Audit)> StateAsync(long id)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        var row = await conn.QuerySingleAsync<(string, int, string?, DateTime)>(
            "SELECT status, attempts, last_error, updated_at FROM platform_email_outbox WHERE id = @id", new { id });
        var audit = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM platform_audit_log WHERE action = 'platform_email.retried'");
        return (row.Item1, row.Item2, row.Item3, row.Item4, audit);
    }

    [Test]
    public async Task SystemAdmin_sees_a_failed_invitation_and_sends_it_again_and_the_platform_audit_log_records_it()
    {
        // A real invitation of a NationalViewer (Accounts → platform outbox), and a reset that failed for good.
        using (var invite = await Admin().PostAsJsonAsync("/api/system/users",
                   new { email = "lm@lantmateriet.se", role = "NationalViewer", displayName = "Lantmäteriet" }))
            Assert.That(invite.StatusCode, Is.EqualTo(HttpStatusCode.Created), await invite.Content.ReadAsStringAsync());
        await using (var conn = await Database.OpenSuperuserAsync())
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM platform_email_outbox"), Is.EqualTo(1));
        var failed = await EnqueueAsync("password_reset", "drift@vagavaradigital.se", "u-drift");
        await FailAsync(failed);

        var page = await GetJsonAsync(Admin(), Outbox);
        var items = page.GetProperty("items").EnumerateArray().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.GetProperty("id").GetInt64()), Is.Ordered.Descending, "newest first");
            Assert.That(items.Select(i => i.GetProperty("kind").GetString()), Is.EqualTo(new[] { "password_reset", "user_invitation" }));
            Assert.That(items.Select(i => i.GetProperty("toAddress").GetString()), Is.EqualTo(new[] { "drift@vagavaradigital.se", "lm@lantmateriet.se" }));
            Assert.That(items[1].GetProperty("status").GetString(), Is.EqualTo("pending"));
            Assert.That(page.GetProperty("nextBeforeId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });

        var onlyFailed = (await GetJsonAsync(Admin(), $"{Outbox}?status=failed")).GetProperty("items").EnumerateArray().ToArray();
        Assert.That(onlyFailed.Select(i => i.GetProperty("id").GetInt64()), Is.EqualTo(new[] { failed }));
        var invitations = (await GetJsonAsync(Admin(), $"{Outbox}?kind=user_invitation")).GetProperty("items").EnumerateArray().ToArray();
        Assert.That(invitations.Select(i => i.GetProperty("toAddress").GetString()), Is.EqualTo(new[] { "lm@lantmateriet.se" }));

        var summary = (await GetJsonAsync(Admin(), $"{Outbox}/summary")).EnumerateArray()
            .ToDictionary(s => s.GetProperty("status").GetString()!, s => s.GetProperty("count").GetInt64());
        Assert.That(summary, Is.EqualTo(new Dictionary<string, long> { ["failed"] = 1, ["pending"] = 1 }));

        var item = await GetJsonAsync(Admin(), $"{Outbox}/{failed}");
        Assert.Multiple(() =>
        {
            Assert.That(item.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(item.GetProperty("attempts").GetInt32(), Is.EqualTo(8));
            Assert.That(item.GetProperty("lastError").GetString(), Is.EqualTo("5.1.1 mailbox unavailable"));
            Assert.That(item.GetProperty("userId").GetString(), Is.EqualTo("u-drift"));
            Assert.That(item.GetProperty("emlAvailable").GetBoolean(), Is.False);
        });

        using var retry = await Admin().PostAsync($"{Outbox}/{failed}/retry", null);
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retry.Content.ReadAsStringAsync());
        var retried = await JsonAsync(retry);
        Assert.Multiple(() =>
        {
            Assert.That(retried.GetProperty("status").GetString(), Is.EqualTo("pending"));
            Assert.That(retried.GetProperty("attempts").GetInt32(), Is.Zero);
            Assert.That(retried.GetProperty("lastError").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
        var state = await StateAsync(failed);
        Assert.That((state.Status, state.Attempts, state.Error), Is.EqualTo(("pending", 0, (string?)null)));

        var log = (await GetJsonAsync(Admin(), "/api/system/audit")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "platform_email.retried").ToArray();
        Assert.That(log, Has.Length.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(log[0].GetProperty("target").GetString(), Is.EqualTo($"platform_email:{failed}"));
            Assert.That(log[0].GetProperty("actorId").GetString(), Is.Not.EqualTo("system"), "the SystemAdmin who asked");
            Assert.That(log[0].GetProperty("details").GetString(), Does.Contain("u-drift").And.Not.Contain("@"), "ids, never the address");
        });

        // The message is pending again: a second press changes nothing and says why.
        using var again = await Admin().PostAsync($"{Outbox}/{failed}/retry", null);
        await AssertProblemAsync(again, 409, "outbox_not_failed");
        Assert.That(await StateAsync(failed), Is.EqualTo(state));
    }

    [Test]
    public async Task Bad_input_answers_Swedish_problem_details_and_changes_nothing()
    {
        var failed = await EnqueueAsync("user_invitation", "lm@lantmateriet.se", "u-lm");
        await FailAsync(failed);
        var pending = await EnqueueAsync("password_reset", "drift@vagavaradigital.se", "u-drift");
        var before = (await StateAsync(failed), await StateAsync(pending));

        using (var r = await Admin().GetAsync($"{Outbox}?status=skickat"))
        {
            var problem = await AssertProblemAsync(r, 400, "validation");
            Assert.That(problem.GetProperty("errors").GetProperty("status")[0].GetString(), Does.StartWith("Okänd status"));
        }
        using (var r = await Admin().GetAsync($"{Outbox}?kind=invitation"))
            await AssertProblemAsync(r, 400, "validation");
        foreach (var bad in new[] { "abc", "0", "-1", "1.5", "99999999999999999999" })
        {
            using (var r = await Admin().GetAsync($"{Outbox}/{bad}"))
                Assert.That((await AssertProblemAsync(r, 400, "invalid_id")).GetProperty("title").GetString(), Is.EqualTo("Ogiltigt id"));
            using (var r = await Admin().GetAsync($"{Outbox}/{bad}/eml"))
                await AssertProblemAsync(r, 400, "invalid_id");
            using (var r = await Admin().PostAsync($"{Outbox}/{bad}/retry", null))
                await AssertProblemAsync(r, 400, "invalid_id");
        }
        using (var r = await Admin().GetAsync($"{Outbox}/{pending + 100}"))
            Assert.That((await AssertProblemAsync(r, 404, "not_found")).GetProperty("title").GetString(), Is.EqualTo("Mejlet finns inte"));
        using (var r = await Admin().PostAsync($"{Outbox}/{pending + 100}/retry", null))
            await AssertProblemAsync(r, 404, "not_found");
        using (var r = await Admin().PostAsync($"{Outbox}/{pending}/retry", null))
            Assert.That((await AssertProblemAsync(r, 409, "outbox_not_failed")).GetProperty("title").GetString(),
                Is.EqualTo("Bara misslyckade mejl kan skickas igen"));

        // A county's administrator reaches neither the list nor the retry (the platform's mail is no county's).
        var county = App.ClientAs("CountyAdmin", TwoTenants.A);
        using (var r = await county.GetAsync(Outbox)) Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using (var r = await county.PostAsync($"{Outbox}/{failed}/retry", null)) Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        Assert.That((await StateAsync(failed), await StateAsync(pending)), Is.EqualTo(before), "nothing changed, nothing audited");
    }

    [Test]
    public async Task The_list_pages_newest_first()
    {
        var ids = new List<long>();
        for (var i = 0; i < 3; i++) ids.Add(await EnqueueAsync("password_reset", $"drift{i}@vagavaradigital.se", $"u-{i}"));

        var first = await GetJsonAsync(Admin(), $"{Outbox}?limit=2");
        var next = first.GetProperty("nextBeforeId").GetInt64();
        var second = await GetJsonAsync(Admin(), $"{Outbox}?limit=2&beforeId={next}");
        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()), Is.EqualTo(new[] { ids[2], ids[1] }));
            Assert.That(second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()), Is.EqualTo(new[] { ids[0] }));
            Assert.That(second.GetProperty("nextBeforeId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task Without_SMTP_a_sent_message_is_served_as_the_eml_the_transport_kept_and_nothing_else_is()
    {
        var options = App.Services.GetRequiredService<IOptions<EmailOptions>>();
        Assert.That(options.Value.SmtpHost, Is.Null.Or.Empty, "the test app uses the embedded transport");
        var sent = await EnqueueAsync("password_reset", "drift@vagavaradigital.se", "u-drift");
        var failed = await EnqueueAsync("user_invitation", "lm@lantmateriet.se", "u-lm");
        await FailAsync(failed);
        var dir = Path.Combine(options.Value.ResolvedPickupDirectory, PlatformOutbox.Id);
        var file = Path.Combine(dir, $"{sent}.eml");
        var failedFile = Path.Combine(dir, $"{failed}.eml");
        try
        {
            var sp = App.Services;
            var sender = new PlatformOutboxSender(sp, options, Microsoft.Extensions.Options.Options.Create(new JobsOptions()),
                sp.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System, NullLogger<PlatformOutboxSender>.Instance);
            await using (var session = new PickupDirectoryTransport(options.Value).OpenSession())
                Assert.That(await sender.SendBatchAsync(session, "test", CancellationToken.None), Is.EqualTo(1));
            var saved = await MimeMessage.LoadAsync(file);

            Assert.That((await GetJsonAsync(Admin(), $"{Outbox}/{sent}")).GetProperty("emlAvailable").GetBoolean(), Is.True);
            using (var eml = await Admin().GetAsync($"{Outbox}/{sent}/eml"))
            {
                Assert.That(eml.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(eml.Content.Headers.ContentType?.MediaType, Is.EqualTo("message/rfc822"));
                var shown = await MimeMessage.LoadAsync(await eml.Content.ReadAsStreamAsync());
                Assert.That(shown.MessageId, Is.EqualTo(saved.MessageId));
                Assert.That(shown.Subject, Does.StartWith("Återställ ditt lösenord"));
            }

            // A message that was not sent has no file — and a file left by an earlier database under its id is not its message.
            File.Copy(file, failedFile, overwrite: true);
            using (var eml = await Admin().GetAsync($"{Outbox}/{failed}/eml"))
                await AssertProblemAsync(eml, 404, "eml_not_kept");
            await using (var conn = await Database.OpenSuperuserAsync())
                await conn.ExecuteAsync("UPDATE platform_email_outbox SET status = 'sent', message_id = 'annat@vagavaradigital.se' WHERE id = @failed", new { failed });
            using (var eml = await Admin().GetAsync($"{Outbox}/{failed}/eml"))
                await AssertProblemAsync(eml, 404, "eml_not_kept");
        }
        finally
        {
            File.Delete(file);
            File.Delete(failedFile);
        }
    }
}
