using Dapper;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Attendance;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Webcasts;

/// <summary>
/// The webcast lifecycle by time (ADR 0047), as plain tenant-scoped methods for the job runner:
/// scheduled → live at the start, → completed at the end; when completed, acceptances without attendance
/// become absent (and qualifying attendance makes attended). Idempotent: running twice changes nothing more.
/// </summary>
public sealed class WebcastLifecycle(Db db, TimeProvider time, AttendanceRecorder attendance) : ITenantJob
{
    /// <summary>The recurring job (Jobs/RecurringJobs.cs): every minute, once per active tenant.</summary>
    public const string JobId = "webcasts.lifecycle";
    public const string Cron = "* * * * *";

    public Task RunAsync(string tenantId, CancellationToken ct) => RunForTenantAsync(tenantId, ct);

    public sealed record Result(int Live, int Completed, int InvitationsUpdated);

    public async Task<Result> RunForTenantAsync(string tenantId, CancellationToken ct = default)
    {
        await using var uow = await db.BeginForTenantAsync(tenantId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var live = await uow.ExecuteAsync("""
            UPDATE webcasts SET status = 'live', updated_at = now()
            WHERE status = 'scheduled' AND starts_at <= @now AND starts_at + make_interval(mins => duration_minutes) > @now
            """, new { now }, ct);
        var completed = (await uow.QueryAsync<Guid>("""
            UPDATE webcasts SET status = 'completed', updated_at = now()
            WHERE status IN ('scheduled', 'live') AND starts_at + make_interval(mins => duration_minutes) <= @now
            RETURNING id
            """, new { now }, ct)).ToArray();
        var updated = 0;
        foreach (var id in completed) updated += await attendance.RecomputeAsync(uow, id, ct);
        await uow.CommitAsync(ct);
        return new Result(live, completed.Length, updated);
    }

    /// <summary>Every active tenant, one transaction each (what the recurring job calls).</summary>
    public async Task RunAllAsync(CancellationToken ct = default)
    {
        await using var uow = await db.BeginGlobalAsync(ct);
        var tenants = (await uow.QueryAsync<string>("SELECT id FROM tenants WHERE is_active ORDER BY id", ct: ct)).ToArray();
        await uow.DisposeAsync();
        foreach (var tenant in tenants) await RunForTenantAsync(tenant, ct);
    }
}
