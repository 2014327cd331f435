using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Invitees;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Every 15 minutes, per tenant: after a webcast has ended and the tenant's follow-up delay has passed (default one
/// day), everyone who accepted gets a thank-you with the recording if they attended, or "missed it" with the
/// recording if not. Waits for the recording link up to a week after the end, then sends without it. One follow-up
/// per invitation (idempotency key <c>{invitationId}:follow_up</c>), so the job can run any number of times.
/// </summary>
public sealed class FollowUpJob(Db db, TimeProvider clock) : ITenantJob
{
    public async Task RunAsync(string tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var uow = await db.BeginAsync(ct);
        await uow.ExecuteAsync($"""
            INSERT INTO email_outbox (tenant_id, kind, idempotency_key, invitation_id, webcast_id, to_address, due_at, payload)
            SELECT i.tenant_id,
                   CASE WHEN i.status = 'attended' OR EXISTS (
                          SELECT FROM attendance a WHERE a.invitation_id = i.id AND (a.minutes IS NULL OR a.minutes >= s.attendance_threshold_minutes))
                        THEN 'thank_you' ELSE 'missed_it' END,
                   i.id::text || ':follow_up', i.id, w.id, v.email, @now,
                   jsonb_build_object('webcastId', w.id, 'scheduleVersion', w.schedule_version)
            FROM webcasts w
            JOIN invitations i ON i.webcast_id = w.id
            JOIN invitees v ON v.id = i.invitee_id
            CROSS JOIN tenant_settings s
            WHERE w.status IN ('scheduled', 'live', 'completed')
              AND w.starts_at + make_interval(mins => w.duration_minutes + s.follow_up_delay_minutes) <= @now
              AND w.starts_at + make_interval(mins => w.duration_minutes) > @now - interval '30 days'
              AND (w.recording_url IS NOT NULL OR w.starts_at + make_interval(mins => w.duration_minutes) <= @now - interval '7 days')
              AND i.status IN ('accepted', 'attended', 'absent')
              AND {InviteeRules.CanBeEmailedSql("v")}
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            """, new { now }, ct);
        await uow.CommitAsync(ct);
    }
}
