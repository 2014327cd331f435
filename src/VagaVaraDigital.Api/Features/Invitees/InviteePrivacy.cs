using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// GDPR per tenant: the legal basis and purpose shown on public pages (RSVP, unsubscribe), and the retention
/// period after which the campaign's personal data is purged (erased as by <see cref="InviteeErasure"/>, so
/// anonymous counts stay).
/// </summary>
public static class InviteePrivacy
{
    public const string DefaultLegalBasis =
        "Behandlingen är nödvändig för att utföra en uppgift av allmänt intresse (artikel 6.1 e i dataskyddsförordningen): " +
        "länsstyrelsens uppdrag att genomföra kompetenssatsningen Våga vara digital tillsammans med Lantmäteriet.";

    public const string DefaultPurpose =
        "Vi använder ditt namn, din e-postadress, din kommun och din roll för att bjuda in dig till satsningens webbsändningar, " +
        "skicka påminnelser och följa upp hur många ledare satsningen når. Lantmäteriet får bara anonyma antal.";

    public const int DefaultRetentionMonths = 24;

    /// <summary>What a public page shows (a class: Dapper maps it by name).</summary>
    public sealed class Notice
    {
        public required string Controller { get; init; }
        public string? ContactEmail { get; init; }
        public required string LegalBasis { get; init; }
        public required string Purpose { get; init; }
        public int RetentionMonths { get; init; }
        public DateTime? UpdatedAt { get; init; }
        public DateTime? LastPurgeAt { get; init; }
    }

    /// <summary>The tenant's notice (defaults until the CountyAdmin writes their own). For other features' public pages.</summary>
    public static async Task<Notice> GetNoticeAsync(UnitOfWork uow, CancellationToken ct = default) =>
        await uow.QuerySingleAsync<Notice>("""
            SELECT t.name AS Controller, s.contact_email AS ContactEmail,
                   coalesce(p.legal_basis, @DefaultLegalBasis) AS LegalBasis, coalesce(p.purpose, @DefaultPurpose) AS Purpose,
                   coalesce(p.retention_months, @DefaultRetentionMonths) AS RetentionMonths, p.updated_at AS UpdatedAt,
                   p.last_purge_at AS LastPurgeAt
            FROM tenants t JOIN tenant_settings s ON s.tenant_id = t.id
            LEFT JOIN invitee_privacy_settings p ON p.tenant_id = t.id
            WHERE t.id = @tenantId
            """, new { tenantId = uow.RequiredTenantId, DefaultLegalBasis, DefaultPurpose, DefaultRetentionMonths }, ct);
}

/// <summary>
/// The retention purge: erases invitees with no activity (their own changes, invitations, attendance) for the
/// tenant's retention period. Recurring job <c>invitees.retention-purge</c> (Jobs/RecurringJobs.cs), 03:45
/// Stockholm time, once per active tenant. Idempotent.
/// </summary>
public sealed class InviteeRetention(Db db, TimeProvider clock) : ITenantJob
{
    public const string JobId = "invitees.retention-purge";
    public const string Cron = "45 3 * * *";

    public async Task RunAsync(string tenantId, CancellationToken ct)
    {
        await using var uow = await db.BeginForTenantAsync(tenantId, ct);
        await PurgeAsync(uow, clock.GetUtcNow().UtcDateTime, ct);
        await uow.CommitAsync(ct);
    }

    /// <summary>Erases what is past the retention period at <paramref name="nowUtc"/>; returns the erased ids (audit-logged).</summary>
    public static async Task<IReadOnlyList<Guid>> PurgeAsync(UnitOfWork uow, DateTime nowUtc, CancellationToken ct = default)
    {
        var notice = await InviteePrivacy.GetNoticeAsync(uow, ct);
        var cutoff = nowUtc.AddMonths(-notice.RetentionMonths);
        var erased = (await uow.QueryAsync<Guid>(InviteeErasure.EraseSql("""
            greatest(i.updated_at, i.created_at) < @cutoff
            AND NOT EXISTS (SELECT FROM invitations v WHERE v.invitee_id = i.id AND v.updated_at >= @cutoff)
            AND NOT EXISTS (SELECT FROM invitations v JOIN attendance a ON a.invitation_id = v.id
                            WHERE v.invitee_id = i.id AND a.recorded_at >= @cutoff)
            """), new { cutoff }, ct)).ToArray();
        await uow.ExecuteAsync("""
            INSERT INTO invitee_privacy_settings (tenant_id, legal_basis, purpose, retention_months, last_purge_at)
            VALUES (@tenantId, @LegalBasis, @Purpose, @RetentionMonths, @nowUtc)
            ON CONFLICT (tenant_id) DO UPDATE SET last_purge_at = excluded.last_purge_at
            """, new { tenantId = uow.RequiredTenantId, notice.LegalBasis, notice.Purpose, notice.RetentionMonths, nowUtc }, ct);
        if (erased.Length > 0)
        {
            await uow.ExecuteAsync("""
                INSERT INTO audit_log (tenant_id, actor_id, actor_name, action, target, details)
                VALUES (@tenantId, 'system', 'system', 'invitees.purged', @target, @details::jsonb)
                """, new
            {
                tenantId = uow.RequiredTenantId,
                target = $"tenant:{uow.RequiredTenantId}",
                details = System.Text.Json.JsonSerializer.Serialize(new
                {
                    count = erased.Length, retentionMonths = notice.RetentionMonths, cutoff, ids = erased.Take(1000),
                }, System.Text.Json.JsonSerializerOptions.Web),
            }, ct);
        }
        return erased;
    }
}
