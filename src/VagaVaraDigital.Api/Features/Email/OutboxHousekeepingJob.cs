using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Nightly, per tenant: forgets delivered, cancelled and failed messages (and their .eml files) after the retention period (the outbox
/// holds recipient addresses; it is not an archive).
/// </summary>
public sealed class OutboxHousekeepingJob(Db db, TimeProvider clock) : ITenantJob
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(180);

    public async Task RunAsync(string tenantId, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var files = (await uow.QueryAsync<string?>("""
            DELETE FROM email_outbox
            WHERE status IN ('sent', 'cancelled', 'failed') AND updated_at < @cutoff
            RETURNING eml_path
            """, new { cutoff = clock.GetUtcNow().UtcDateTime - Retention }, ct)).OfType<string>().ToArray();
        await uow.CommitAsync(ct);
        // The embedded transport's copies go with their rows.
        foreach (var file in files)
        {
            try { File.Delete(file); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}
