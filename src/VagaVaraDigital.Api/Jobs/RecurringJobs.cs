using Hangfire;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Jobs;

/// <summary>A job that works inside one tenant: runs once per active tenant when it recurs.</summary>
public interface ITenantJob
{
    /// <param name="tenantId">Set as the job's tenant scope by <see cref="TenantJobActivator"/>.</param>
    Task RunAsync(string tenantId, CancellationToken ct);
}

/// <summary>A job for the whole platform (it must not read tenant-owned tables except through a tenant scope).</summary>
public interface IPlatformJob
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>
/// Every recurring job of the platform, one line each. A feature adds its line here:
/// <code>
/// RecurringJob.ForEachTenant&lt;MyTenantJob&gt;("feature.what", "0 2 * * *"),   // 02:00 Stockholm, once per tenant
/// RecurringJob.Platform&lt;MyPlatformJob&gt;("feature.what", "*/15 * * * *"),
/// </code>
/// A per-tenant job implements <see cref="ITenantJob"/>: at its time one fan-out job enqueues it once per
/// active tenant, with the tenant id as its only argument, and each runs in that tenant's scope. Cron
/// expressions are in Europe/Stockholm time. Hangfire's distributed lock makes each occurrence run once however
/// many servers run; a failing run is retried with backoff (Hangfire's AutomaticRetry) and shown in /jobs.
/// </summary>
public static class RecurringJobs
{
    public static IReadOnlyList<RecurringJobDefinition> All { get; } =
    [
        // identity: the OpenID Connect keys rotate when they are Identity:OidcKeyLifetime old
        RecurringJobDefinition.Platform<Identity.OidcKeyRotationJob>(Identity.OidcKeyRotationJob.JobId, Identity.OidcKeyRotationJob.Cron),
        // e-mail (Features/Email)
        RecurringJobDefinition.ForEachTenant<Features.Email.DailyDigestJob>("email.daily-digest", "0 7 * * *"),
        RecurringJobDefinition.ForEachTenant<Features.Email.FollowUpJob>("email.follow-ups", "*/15 * * * *"),
        RecurringJobDefinition.ForEachTenant<Features.Email.OutboxHousekeepingJob>("email.outbox-housekeeping", "30 3 * * *"),
        // reach (Features/Reach): nightly snapshot of each tenant's figures
        RecurringJobDefinition.ForEachTenant<Features.Reach.ReachSnapshots>(Features.Reach.ReachSnapshots.JobId, Features.Reach.ReachSnapshots.Cron),
        // webcasts (Features/Webcasts): scheduled → live → completed by time; acceptances without attendance → absent
        RecurringJobDefinition.ForEachTenant<Features.Webcasts.WebcastLifecycle>(Features.Webcasts.WebcastLifecycle.JobId, Features.Webcasts.WebcastLifecycle.Cron),
        // invitees (Features/Invitees): GDPR retention purge, keeps anonymous counts
        RecurringJobDefinition.ForEachTenant<Features.Invitees.InviteeRetention>(Features.Invitees.InviteeRetention.JobId, Features.Invitees.InviteeRetention.Cron),
    ];
}

/// <summary>One recurring job: id, cron (Stockholm time) and how to register it.</summary>
public sealed record RecurringJobDefinition(string Id, string Cron, Action<IRecurringJobManager, string, string, RecurringJobOptions> Register)
{
    public static RecurringJobDefinition ForEachTenant<TJob>(string id, string cron) where TJob : ITenantJob =>
        new(id, cron, (m, i, c, o) => m.AddOrUpdate<TenantFanOut<TJob>>(i, f => f.RunAsync(CancellationToken.None), c, o));

    public static RecurringJobDefinition Platform<TJob>(string id, string cron) where TJob : IPlatformJob =>
        new(id, cron, (m, i, c, o) => m.AddOrUpdate<TJob>(i, j => j.RunAsync(CancellationToken.None), c, o));
}

/// <summary>Enqueues <typeparamref name="TJob"/> once per active tenant (tenant id as the only argument).</summary>
public sealed class TenantFanOut<TJob>(TenantStore tenants, IBackgroundJobClient jobs) where TJob : ITenantJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        tenants.Invalidate();
        foreach (var tenant in (await tenants.AllAsync(ct)).Where(t => t.IsActive))
        {
            jobs.Enqueue<TJob>(j => j.RunAsync(tenant.Id, CancellationToken.None));
        }
    }
}

/// <summary>Registers (and updates) <see cref="RecurringJobs.All"/> when a job server starts.</summary>
sealed class RecurringJobsRegistrar(IRecurringJobManager manager, IOptions<JobsOptions> options, ILogger<RecurringJobsRegistrar> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.RegisterRecurringJobs) return Task.CompletedTask;
        var jobOptions = new RecurringJobOptions { TimeZone = Stockholm };
        foreach (var job in RecurringJobs.All)
        {
            job.Register(manager, job.Id, job.Cron, jobOptions);
        }
        logger.LogInformation("Recurring jobs registered: {Count}", RecurringJobs.All.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    static TimeZoneInfo Stockholm => TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
}
