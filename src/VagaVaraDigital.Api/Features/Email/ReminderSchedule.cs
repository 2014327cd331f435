using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Invitees;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Reminders and nudges, per the tenant's policy (<c>tenant_settings.reminder_offsets_minutes</c>, default 7 days,
/// 1 day and 1 hour before the start, to those who accepted; <c>nudge_offset_minutes</c>, default 3 days before, to
/// those invited who have not answered). Call it in the same unit of work as the change:
/// <list type="bullet">
/// <item><see cref="ScheduleForInvitationAsync"/> after an invitation is sent or its answer changes (accepted,
/// declined, waitlisted, promoted);</item>
/// <item><see cref="RescheduleWebcastAsync"/> after a webcast moves, is cancelled or is (re)published.</item>
/// </list>
/// Both compute what should be pending now and make the outbox match: messages of an old schedule version or no
/// longer wanted are cancelled; missing ones are added (idempotent keys <c>{invitationId}:reminder:{offset}:v{version}</c>
/// and <c>{invitationId}:nudge:v{version}</c>). A reminder whose time has already passed when this runs (e.g. when
/// the person accepts an hour before a "1 day before" reminder) is not added. A cancelled webcast keeps none.
/// Nudges never fall between 21:00 and 07:00 in the tenant's time zone (moved to 07:00), and never after the start.
/// The sender checks again at send time (answer, schedule version, opt-out), so a stale row is never sent.
/// </summary>
public static class ReminderSchedule
{
    public const string ReminderKind = "reminder";
    public const string NudgeKind = "nudge";

    public static Task<int> ScheduleForInvitationAsync(UnitOfWork uow, Guid invitationId, CancellationToken ct = default,
        TimeProvider? time = null) =>
        ApplyAsync(uow, invitationId, null, time, ct);

    public static Task<int> RescheduleWebcastAsync(UnitOfWork uow, Guid webcastId, CancellationToken ct = default,
        TimeProvider? time = null) =>
        ApplyAsync(uow, null, webcastId, time, ct);

    /// <summary>Returns how many messages were added.</summary>
    static async Task<int> ApplyAsync(UnitOfWork uow, Guid? invitationId, Guid? webcastId, TimeProvider? time, CancellationToken ct)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var added = await uow.ExecuteScalarAsync<int>($"""
            WITH scope AS (
              SELECT i.id AS invitation_id, i.status, i.webcast_id, w.starts_at, w.schedule_version, v.email,
                     s.reminder_offsets_minutes, s.nudge_offset_minutes, s.time_zone
              FROM invitations i
              JOIN webcasts w ON w.id = i.webcast_id
              JOIN invitees v ON v.id = i.invitee_id
              JOIN tenant_settings s ON s.tenant_id = i.tenant_id
              WHERE (i.id = @invitationId OR i.webcast_id = @webcastId)
                AND w.status = 'scheduled' AND w.starts_at > @now
                AND {InviteeRules.CanBeEmailedSql("v")}
            ), reminders AS (
              SELECT sc.invitation_id, '{ReminderKind}' AS kind, sc.webcast_id, sc.email, sc.schedule_version, o.offset_minutes,
                     sc.invitation_id::text || ':{ReminderKind}:' || o.offset_minutes || ':v' || sc.schedule_version AS key,
                     sc.starts_at - make_interval(mins => o.offset_minutes) AS due_at
              FROM scope sc CROSS JOIN LATERAL unnest(sc.reminder_offsets_minutes) AS o(offset_minutes)
              WHERE sc.status = 'accepted'
            ), nudges AS (
              SELECT sc.invitation_id, '{NudgeKind}' AS kind, sc.webcast_id, sc.email, sc.schedule_version, sc.nudge_offset_minutes AS offset_minutes,
                     sc.invitation_id::text || ':{NudgeKind}:v' || sc.schedule_version AS key,
                     {QuietHoursSql("sc.starts_at - make_interval(mins => sc.nudge_offset_minutes)", "sc.time_zone")} AS due_at,
                     sc.starts_at
              FROM scope sc
              WHERE sc.status = 'sent'
            ), wanted AS (
              SELECT invitation_id, kind, webcast_id, email, schedule_version, offset_minutes, key, due_at FROM reminders WHERE due_at > @now
              UNION ALL
              SELECT invitation_id, kind, webcast_id, email, schedule_version, offset_minutes, key, due_at FROM nudges
              WHERE due_at > @now AND due_at < starts_at
            ), cancelled AS (
              UPDATE email_outbox o SET status = 'cancelled', last_error = 'superseded', updated_at = now()
              WHERE o.status = 'pending' AND o.kind IN ('{ReminderKind}', '{NudgeKind}')
                AND o.invitation_id IN (SELECT id FROM invitations WHERE id = @invitationId OR webcast_id = @webcastId)
                AND NOT EXISTS (SELECT FROM wanted w WHERE w.key = o.idempotency_key)
              RETURNING o.id
            ), inserted AS (
              INSERT INTO email_outbox (tenant_id, kind, idempotency_key, invitation_id, webcast_id, to_address, due_at, payload)
              SELECT current_tenant_id(), kind, key, invitation_id, webcast_id, email, due_at,
                     jsonb_build_object('webcastId', webcast_id, 'scheduleVersion', schedule_version, 'offsetMinutes', offset_minutes)
              FROM wanted
              ON CONFLICT (tenant_id, idempotency_key) DO UPDATE
                SET status = 'pending', due_at = excluded.due_at, to_address = excluded.to_address, last_error = NULL,
                    next_attempt_at = NULL, updated_at = now()
                WHERE email_outbox.status = 'cancelled' AND email_outbox.attempts = 0
              RETURNING id
            )
            SELECT count(*)::int FROM inserted
            """, new { invitationId, webcastId, now }, ct);
        return added;
    }

    /// <summary>SQL: the timestamp moved out of 21:00–07:00 local time (to 07:00), in time zone <paramref name="tz"/>.</summary>
    public static string QuietHoursSql(string ts, string tz) => $"""
        (CASE WHEN (({ts}) AT TIME ZONE {tz})::time >= time '21:00'
                THEN ((({ts}) AT TIME ZONE {tz})::date + 1 + time '07:00') AT TIME ZONE {tz}
              WHEN (({ts}) AT TIME ZONE {tz})::time < time '07:00'
                THEN ((({ts}) AT TIME ZONE {tz})::date + time '07:00') AT TIME ZONE {tz}
              ELSE ({ts}) END)
        """;

    /// <summary>The same rule in C#: the next moment outside 21:00–07:00 in <paramref name="timeZone"/>.</summary>
    public static DateTime OutsideQuietHours(DateTime utc, string timeZone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), tz);
        DateTime? moved = local.Hour >= 21 ? local.Date.AddDays(1).AddHours(7) : local.Hour < 7 ? local.Date.AddHours(7) : null;
        return moved is { } m ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(m, DateTimeKind.Unspecified), tz) : utc;
    }
}
