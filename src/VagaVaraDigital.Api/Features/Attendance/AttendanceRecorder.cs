using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Features.Attendance;

/// <summary>
/// Writes attendance and keeps the invitation's status in step with it (ADR 0045). An invitation counts as
/// attended when it joined through the tracked link, was marked by staff, or a Teams/Zoom report gives it at
/// least the tenant's threshold (<c>tenant_settings.attendance_threshold_minutes</c>) — reports are not added
/// up across platforms. After the webcast is completed, an acceptance without attendance is absent.
/// </summary>
public sealed class AttendanceRecorder
{
    /// <summary>The first tracked join counts; later clicks change nothing.</summary>
    public async Task RecordTrackedJoinAsync(UnitOfWork uow, Guid invitationId, DateTime now, CancellationToken ct)
    {
        await uow.ExecuteAsync("""
            INSERT INTO attendance (tenant_id, invitation_id, source, joined_at, recorded_at)
            VALUES (@tenant, @invitationId, 'tracked_link', @now, @now)
            ON CONFLICT (invitation_id, source) DO NOTHING
            """, new { tenant = uow.RequiredTenantId, invitationId, now }, ct);
        var webcastId = await uow.ExecuteScalarAsync<Guid>("SELECT webcast_id FROM invitations WHERE id = @invitationId", new { invitationId }, ct);
        await RecomputeAsync(uow, webcastId, ct);
    }

    internal const string Qualifies = """
        EXISTS (SELECT FROM attendance a WHERE a.invitation_id = i.id
                AND (a.source IN ('tracked_link', 'manual') OR a.minutes >= (SELECT attendance_threshold_minutes FROM tenant_settings)))
        """;

    /// <summary>
    /// Brings the statuses of one webcast's invitations in line with its attendance: qualifying → attended;
    /// attended without (any longer) qualifying attendance → absent once completed, else back to accepted;
    /// accepted without attendance after completion → absent. Returns the number of invitations changed.
    /// </summary>
    public Task<int> RecomputeAsync(UnitOfWork uow, Guid webcastId, CancellationToken ct) =>
        uow.ExecuteAsync($"""
            WITH w AS (SELECT id, status FROM webcasts WHERE id = @webcastId),
            target AS (
              SELECT i.id,
                     CASE WHEN {Qualifies} THEN 'attended'
                          WHEN i.status IN ('attended', 'accepted') AND (SELECT status FROM w) = 'completed' THEN 'absent'
                          WHEN i.status = 'attended' THEN 'accepted'
                          ELSE i.status END AS status
              FROM invitations i WHERE i.webcast_id = @webcastId
            )
            UPDATE invitations i SET status = target.status, updated_at = now()
            FROM target WHERE target.id = i.id AND target.status <> i.status
            """, new { webcastId }, ct);
}
