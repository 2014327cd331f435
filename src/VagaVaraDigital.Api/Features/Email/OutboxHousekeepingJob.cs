using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Nightly, per tenant: forgets delivered, cancelled and failed messages after the retention period (the outbox
/// holds recipient addresses; it is not an archive).
/// </summary>
public sealed class OutboxHousekeepingJob(Db db, TimeProvider clock) : ITenantJob
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(180);

    public async Task RunAsync(string tenantId, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.ExecuteAsync("""
            DELETE FROM email_outbox
            WHERE status IN ('sent', 'cancelled', 'failed') AND updated_at < @cutoff
            """, new { cutoff = clock.GetUtcNow().UtcDateTime - Retention }, ct);
        await uow.CommitAsync(ct);
    }
}
