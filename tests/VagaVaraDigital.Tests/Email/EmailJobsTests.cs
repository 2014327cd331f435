using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Jobs;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

/// <summary>The e-mail feature's recurring jobs, run directly in a tenant scope (as Hangfire's activator does).</summary>
public sealed class EmailJobsTests : ApiTest
{
    const string A = TwoTenants.A;

    static Task RunAsync<TJob>(TimeProvider clock) where TJob : ITenantJob
    {
        return TenantJobScope.RunAsync<TJob>(new ClockedServices(App.Services, clock), A, j => j.RunAsync(A, CancellationToken.None));
    }

    /// <summary>The app's services with another clock (jobs take TimeProvider).</summary>
    sealed class ClockedServices(IServiceProvider inner, TimeProvider clock) : IServiceProvider, IServiceScopeFactory
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(TimeProvider) ? clock
            : serviceType == typeof(IServiceScopeFactory) ? this
            : inner.GetService(serviceType);

        public IServiceScope CreateScope() => new Scope(inner.CreateScope(), clock);

        sealed class Scope(IServiceScope scope, TimeProvider clock) : IServiceScope, IServiceProvider
        {
            public IServiceProvider ServiceProvider => this;
            public object? GetService(Type serviceType) => serviceType == typeof(TimeProvider) ? clock : scope.ServiceProvider.GetService(serviceType);
            public void Dispose() => scope.Dispose();
        }
    }

    /// <summary>A platform user (global table, tenant in a column), as the identity feature stores one.</summary>
    static Task UserAsync(string id, string role, string? tenant, string email, bool active = true, bool activated = true, string? name = null) =>
        Database.ExecuteAsSuperuserAsync($"""
            INSERT INTO "AspNetUsers" ("Id", "Role", "TenantId", "DisplayName", "IsDemo", "IsActive", "CreatedAt", "UserName", "NormalizedUserName",
              "Email", "NormalizedEmail", "EmailConfirmed", "SecurityStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES ('{id}', '{role}', {(tenant is null ? "NULL" : $"'{tenant}'")}, {(name is null ? "NULL" : $"'{name}'")}, false, {active}, now(),
                    '{email}', upper('{email}'), '{email}', upper('{email}'), {activated}, 'stamp', false, false, true, 0)
            """);

    /// <summary>The CountyAdmin the test identity of <c>App.ClientAs("CountyAdmin", A)</c> signs in as.</summary>
    const string SignedInAdmin = $"test-CountyAdmin-{A}";

    static async Task<(string To, string? UserId, string Key, string Payload)[]> DigestRowsAsync()
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return (await conn.QueryAsync<(string, string?, string, string)>(
            "SELECT to_address, user_id, idempotency_key, payload::text FROM email_outbox WHERE kind = 'digest' ORDER BY to_address, idempotency_key")).ToArray();
    }

    [Test]
    public async Task The_daily_digest_goes_once_a_day_to_each_of_the_tenants_county_admins_with_counts_only()
    {
        await UserAsync("admin-1", "CountyAdmin", A, "admin1@lansstyrelsen.example", name: "Karin Admin");
        await UserAsync("admin-2", "CountyAdmin", A, "admin2@lansstyrelsen.example");
        await UserAsync("admin-inactive", "CountyAdmin", A, "avstangd@lansstyrelsen.example", active: false);
        await UserAsync("admin-invited", "CountyAdmin", A, "inbjuden@lansstyrelsen.example", activated: false);
        await UserAsync("editor-1", "CountyEditor", A, "handlaggare@lansstyrelsen.example");
        await UserAsync("admin-of-b", "CountyAdmin", TwoTenants.B, "admin@stockholm.example");
        await UserAsync("system-1", "SystemAdmin", null, "drift@vagavaradigital.example");
        await Database.ExecuteAsSuperuserAsync("INSERT INTO user_preferences (user_id, language) VALUES ('admin-2', 'en')");
        var now = DateTime.UtcNow;
        var webcast = await EmailData.WebcastAsync(Database, A, now.AddDays(3), title: "Kommande sändning");
        await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EmailData.InvitationAsync(Database, A, webcast, "declined");
        await Database.ExecuteAsSuperuserAsync($"UPDATE invitations SET responded_at = now() - interval '1 hour' WHERE tenant_id = '{A}'");
        var clock = new FakeTimeProvider(new DateTimeOffset(now));

        await RunAsync<DailyDigestJob>(clock);
        await RunAsync<DailyDigestJob>(clock);

        var rows = await DigestRowsAsync();
        Assert.That(rows.Select(r => (r.To, r.UserId)), Is.EqualTo(new[]
        {
            ("admin1@lansstyrelsen.example", (string?)"admin-1"), ("admin2@lansstyrelsen.example", "admin-2"),
        }), "one per active, activated CountyAdmin of the tenant; running twice adds nothing");
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.Key), Has.All.StartWith("digest:"));
            Assert.That(rows.Select(r => r.Key), Is.Unique);
            Assert.That(rows[0].Payload, Does.Contain("\"accepted\": 1").And.Contain("\"declined\": 1").And.Contain("Kommande sändning"));
            Assert.That(rows.Select(r => r.Payload), Has.All.Not.Contain("@kommun.se").And.All.Not.Contain("Anna"), "no invitee's personal data");
        });

        await using var sink = await SmtpSink.StartAsync();
        await new SenderHarness(sink).DrainAsync();
        Assert.That(sink.Messages.Select(m => m.To.Mailboxes.Single().Address),
            Is.EquivalentTo(new[] { "admin1@lansstyrelsen.example", "admin2@lansstyrelsen.example" }));
        var karin = sink.Messages.Single(m => m.To.Mailboxes.Single().Address == "admin1@lansstyrelsen.example");
        Assert.Multiple(() =>
        {
            Assert.That(karin.Subject, Does.StartWith("Dagens sammanfattning"));
            Assert.That(karin.TextBody, Does.StartWith("Hej Karin Admin!").And.Contain("1 tackade ja").And.Contain("Kommande sändning"));
            Assert.That(karin.HtmlBody, Does.Contain("Kommande s&#228;ndning"), "HTML-encoded");
            Assert.That(karin.Headers["Auto-Submitted"], Is.EqualTo("auto-generated"));
            Assert.That(karin.Headers.Contains("List-Unsubscribe"), Is.False, "staff mail, not campaign mail");
            Assert.That(sink.Duplicates, Is.Zero);
        });
        var english = sink.Messages.Single(m => m.To.Mailboxes.Single().Address == "admin2@lansstyrelsen.example");
        Assert.That(english.Subject, Does.StartWith("Daily summary"), "in the admin's own language");
        Assert.That(english.TextBody, Does.Contain("1 accepted").And.Contain(" at "));

        // The next day: a new digest each.
        clock.Advance(TimeSpan.FromDays(1));
        await RunAsync<DailyDigestJob>(clock);
        Assert.That((await DigestRowsAsync()).Length, Is.EqualTo(4));
    }

    [Test]
    public async Task A_county_admin_turns_the_daily_digest_off_and_on_again()
    {
        await UserAsync(SignedInAdmin, "CountyAdmin", A, "jag@lansstyrelsen.example");
        await UserAsync("admin-2", "CountyAdmin", A, "kollega@lansstyrelsen.example");
        await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(3));
        var admin = App.ClientAs("CountyAdmin", A, tenantSlug: TwoTenants.ASlug);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var initial = await GetJsonAsync(admin, "api/email/my-settings");
        Assert.That(initial.GetProperty("dailyDigest").GetBoolean(), Is.True, "on by default");

        using var off = await admin.PutAsJsonAsync("api/email/my-settings", new { dailyDigest = false });
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK), await off.Content.ReadAsStringAsync());
        Assert.That((await GetJsonAsync(admin, "api/email/my-settings")).GetProperty("dailyDigest").GetBoolean(), Is.False);
        await RunAsync<DailyDigestJob>(clock);
        Assert.That((await DigestRowsAsync()).Select(r => r.To), Is.EqualTo(new[] { "kollega@lansstyrelsen.example" }), "only the colleague");

        using var on = await admin.PutAsJsonAsync("api/email/my-settings", new { dailyDigest = true });
        Assert.That(on.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        clock.Advance(TimeSpan.FromDays(1));
        await RunAsync<DailyDigestJob>(clock);
        Assert.That((await DigestRowsAsync()).Select(r => r.To), Does.Contain("jag@lansstyrelsen.example"));

        using var bad = await admin.PutAsJsonAsync("api/email/my-settings", new { });
        await AssertProblemAsync(bad, 400, "validation");
        using var editor = await App.ClientAs("CountyEditor", A, tenantSlug: TwoTenants.ASlug).GetAsync("api/email/my-settings");
        Assert.That(editor.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the digest is for county admins");
    }

    [Test]
    public async Task A_digest_queued_before_its_admin_turned_it_off_or_left_is_not_sent()
    {
        await UserAsync(SignedInAdmin, "CountyAdmin", A, "jag@lansstyrelsen.example");
        await UserAsync("admin-2", "CountyAdmin", A, "kollega@lansstyrelsen.example");
        await UserAsync("admin-3", "CountyAdmin", A, "tredje@lansstyrelsen.example");
        await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(3));
        await RunAsync<DailyDigestJob>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        Assert.That((await DigestRowsAsync()).Length, Is.EqualTo(3));

        // Before the sender gets to them: one admin turns the digest off, another is deactivated.
        using var off = await App.ClientAs("CountyAdmin", A, tenantSlug: TwoTenants.ASlug).PutAsJsonAsync("api/email/my-settings", new { dailyDigest = false });
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Database.ExecuteAsSuperuserAsync("UPDATE \"AspNetUsers\" SET \"IsActive\" = false WHERE \"Id\" = 'admin-3'");

        await using var sink = await SmtpSink.StartAsync();
        await new SenderHarness(sink).DrainAsync();
        var outcome = await EmailData.OutboxAsync(Database, "digest");
        Assert.Multiple(() =>
        {
            Assert.That(sink.Messages.Select(m => m.To.Mailboxes.Single().Address), Is.EqualTo(new[] { "kollega@lansstyrelsen.example" }));
            Assert.That(outcome.Count(o => o.Status == "cancelled" && o.LastError == "digest_off"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task No_digest_on_a_day_with_nothing_to_report()
    {
        await UserAsync("admin-1", "CountyAdmin", A, "admin1@lansstyrelsen.example");

        await RunAsync<DailyDigestJob>(new FakeTimeProvider(DateTimeOffset.UtcNow));

        Assert.That(await DigestRowsAsync(), Is.Empty);
    }

    [Test]
    public async Task After_the_webcast_those_who_attended_get_a_thank_you_and_the_others_a_missed_it_once()
    {
        var ended = DateTime.UtcNow.AddDays(-2);
        var webcast = await EmailData.WebcastAsync(Database, A, ended, status: "completed");
        await Database.ExecuteAsSuperuserAsync($"UPDATE webcasts SET recording_url = 'https://video.example/rec' WHERE id = '{webcast}'");
        var (_, attended, _) = await EmailData.InvitationAsync(Database, A, webcast, "attended");
        var (_, absent, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EmailData.InvitationAsync(Database, A, webcast, "declined");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        await RunAsync<FollowUpJob>(clock);
        await RunAsync<FollowUpJob>(clock);

        await using var conn = await Database.OpenSuperuserAsync();
        var rows = (await conn.QueryAsync<(Guid, string)>("SELECT invitation_id, kind FROM email_outbox ORDER BY kind")).ToArray();
        Assert.That(rows, Is.EquivalentTo(new[] { (absent, "missed_it"), (attended, "thank_you") }));

        await using var sink = await SmtpSink.StartAsync();
        await new SenderHarness(sink).DrainAsync();
        Assert.That(sink.Messages.Select(m => m.TextBody), Has.All.Contain("https://video.example/rec"));
    }

    [Test]
    public async Task Follow_ups_wait_for_the_tenants_delay_after_the_end()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddHours(-3), status: "completed");
        await Database.ExecuteAsSuperuserAsync($"UPDATE webcasts SET recording_url = 'https://video.example/rec' WHERE id = '{webcast}'");
        await EmailData.InvitationAsync(Database, A, webcast, "attended");

        await RunAsync<FollowUpJob>(new FakeTimeProvider(DateTimeOffset.UtcNow));

        Assert.That(await EmailData.OutboxAsync(Database), Is.Empty, "ended two hours ago; the default delay is one day");
    }

    [Test]
    public async Task Housekeeping_forgets_old_finished_messages_and_keeps_the_rest()
    {
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            await conn.ExecuteAsync("""
                INSERT INTO email_outbox (tenant_id, kind, idempotency_key, to_address, status, updated_at) VALUES
                  (@A, 'invitation', 'old-sent', 'a@kommun.example', 'sent', now() - interval '200 days'),
                  (@A, 'invitation', 'old-pending', 'b@kommun.example', 'pending', now() - interval '200 days'),
                  (@A, 'invitation', 'new-sent', 'c@kommun.example', 'sent', now())
                """, new { A });
        }

        await RunAsync<OutboxHousekeepingJob>(new FakeTimeProvider(DateTimeOffset.UtcNow));

        Assert.That((await EmailData.OutboxAsync(Database)).Select(r => r.IdempotencyKey), Is.EquivalentTo(new[] { "old-pending", "new-sent" }));
    }
}
