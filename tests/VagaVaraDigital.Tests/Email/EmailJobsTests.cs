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

    [Test]
    public async Task The_daily_digest_goes_to_the_countys_contact_address_once_a_day_with_counts_only()
    {
        await Database.ExecuteAsSuperuserAsync($"UPDATE tenant_settings SET contact_email = 'projekt@lansstyrelsen.example' WHERE tenant_id = '{A}'");
        var now = DateTime.UtcNow;
        var webcast = await EmailData.WebcastAsync(Database, A, now.AddDays(3), title: "Kommande sändning");
        var (_, accepted, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EmailData.InvitationAsync(Database, A, webcast, "declined");
        await Database.ExecuteAsSuperuserAsync($"UPDATE invitations SET responded_at = now() - interval '1 hour' WHERE tenant_id = '{A}'");
        var clock = new FakeTimeProvider(new DateTimeOffset(now));

        await RunAsync<DailyDigestJob>(clock);
        await RunAsync<DailyDigestJob>(clock);

        var digest = (await EmailData.OutboxAsync(Database, "digest")).Single();
        await using var conn = await Database.OpenSuperuserAsync();
        var (to, payload) = await conn.QuerySingleAsync<(string, string)>("SELECT to_address, payload::text FROM email_outbox WHERE id = @Id", new { digest.Id });
        Assert.Multiple(() =>
        {
            Assert.That(to, Is.EqualTo("projekt@lansstyrelsen.example"));
            Assert.That(payload, Does.Contain("\"accepted\": 1").And.Contain("\"declined\": 1").And.Contain("Kommande sändning"));
            Assert.That(payload, Does.Not.Contain("@kommun.se").And.Not.Contain("Anna"), "no invitee's personal data");
        });
        Assert.That(accepted, Is.Not.EqualTo(Guid.Empty));

        await using var sink = await SmtpSink.StartAsync();
        await new SenderHarness(sink).DrainAsync();
        var message = sink.Messages.Single();
        Assert.That(message.Subject, Does.StartWith("Dagens sammanfattning"));
        Assert.That(message.TextBody, Does.Contain("1 tackade ja").And.Contain("Kommande sändning"));
        Assert.That(message.Headers["Auto-Submitted"], Is.EqualTo("auto-generated"));
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
