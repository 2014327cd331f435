using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Reach;

/// <summary>
/// The nightly snapshot: each tenant's totals for the day (Europe/Stockholm), written in that tenant's scope by
/// <c>reach_take_snapshot</c>, and the national row of the day (<c>reach_take_national_snapshot</c>, the reporting role's
/// function: distinct persons nationally). Idempotent: a second run the same day replaces the day's row. Feeds the recorded
/// series (<see cref="ReachOverTime.Snapshots"/>). Recurring job <c>reach.nightly-snapshot</c> in
/// <c>Jobs/RecurringJobs.cs</c>: 02:15 Stockholm time, once per active tenant.
/// </summary>
public sealed class ReachSnapshots(Db db, TimeProvider clock) : ITenantJob
{
    public const string JobId = "reach.nightly-snapshot";
    public const string Cron = "15 2 * * *";

    /// <summary>The recurring job: this tenant's snapshot for today (Stockholm).</summary>
    public Task RunAsync(string tenantId, CancellationToken ct) => TakeAsync(tenantId, ReachCalculations.Today(clock.GetUtcNow()), ct);

    /// <summary>Takes every tenant's snapshot; returns how many tenants were written.</summary>
    public async Task<int> TakeAllAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        // Dated by the Stockholm day on which it is taken (the nightly run: figures as of that night).
        var date = ReachCalculations.Today(now);
        string[] tenants;
        await using (var uow = await db.BeginGlobalAsync(ct))
        {
            tenants = (await uow.QueryAsync<string>("SELECT id FROM tenants ORDER BY id", ct: ct)).ToArray();
        }
        foreach (var tenantId in tenants)
        {
            await TakeAsync(tenantId, date, ct);
        }
        return tenants.Length;
    }

    public async Task TakeAsync(string tenantId, DateOnly date, CancellationToken ct = default)
    {
        await using var uow = await db.BeginForTenantAsync(tenantId, ct);
        // The tenant's row, then the national row of the same day (distinct persons nationally, not a sum of the counties:
        // a person invited by two counties counts once); every tenant's run replaces the day's national row.
        await uow.ExecuteAsync("SELECT reach_take_snapshot(@date::date, @now); SELECT reach_take_national_snapshot(@date::date, @now);",
            new { date = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), now = clock.GetUtcNow() }, ct);
        await uow.CommitAsync(ct);
    }
}
