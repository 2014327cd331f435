using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Features.Webcasts;

namespace VagaVaraDigital.Api.Features.Invitations;

/// <summary>
/// Answers to an invitation (ADR 0043). Every answer locks the webcast row (<c>SELECT … FOR UPDATE</c>), so
/// acceptances of one webcast are serialised: the capacity is never exceeded, whatever the concurrency.
/// When full, an acceptance is waitlisted (ordered by <c>waitlisted_at</c>, then id); a seat freed by a decline
/// (or a larger capacity) goes to the first on the waitlist. Answers can change until the start.
/// </summary>
public sealed class Rsvp(InvitationMail mail, TimeProvider time)
{
    public static readonly TimeSpan TokenLifetimeAfterEnd = TimeSpan.FromDays(30);

    public enum Answer { Accept, Decline }

    public enum Result { Unknown, Closed, Accepted, Waitlisted, Declined, Unchanged }

    /// <summary>What the public page shows for a token (null when unknown, erased or expired).</summary>
    public sealed class View
    {
        public Guid InvitationId { get; init; }
        public Guid WebcastId { get; init; }
        public string Token { get; init; } = "";
        public string Status { get; init; } = "";
        public string? FirstName { get; init; }
        public string? Email { get; init; }
        public string InviteeStatus { get; init; } = "";
        public string Title { get; init; } = "";
        public string Description { get; init; } = "";
        public DateTime StartsAt { get; init; }
        public int DurationMinutes { get; init; }
        public string Platform { get; init; } = "";
        public string? JoinUrl { get; init; }
        public string? RecordingUrl { get; init; }
        public string WebcastStatus { get; init; } = "";
        public int ScheduleVersion { get; init; }
        public int? Capacity { get; init; }

        public DateTime StartsAtUtc => DateTime.SpecifyKind(StartsAt, DateTimeKind.Utc);
        public DateTime EndsAtUtc => StartsAtUtc.AddMinutes(DurationMinutes);

        public bool CanAnswer(DateTime now) => WebcastStatus == "scheduled" && now < StartsAtUtc;

        public WebcastRow AsWebcast() => new()
        {
            Id = WebcastId, Title = Title, Description = Description, StartsAt = StartsAtUtc, DurationMinutes = DurationMinutes,
            Platform = Platform, JoinUrl = JoinUrl, RecordingUrl = RecordingUrl, Status = WebcastStatus, ScheduleVersion = ScheduleVersion,
            Capacity = Capacity,
        };
    }

    /// <summary>
    /// The invitation behind a token, in the current tenant's scope (row-level security: a token of another
    /// tenant is simply not found). Erased invitees and tokens 30 days past the webcast's end are "unknown".
    /// </summary>
    public async Task<View?> FindAsync(UnitOfWork uow, string? token, CancellationToken ct, bool forUpdate = false)
    {
        if (!InvitationTokens.LooksValid(token)) return null;
        var view = await uow.QuerySingleOrDefaultAsync<View>($"""
            SELECT i.id AS InvitationId, i.webcast_id AS WebcastId, i.token AS Token, i.status AS Status,
                   v.first_name AS FirstName, v.email AS Email, v.status AS InviteeStatus,
                   w.title AS Title, w.description AS Description, w.starts_at AS StartsAt, w.duration_minutes AS DurationMinutes,
                   w.platform AS Platform, w.join_url AS JoinUrl, w.recording_url AS RecordingUrl, w.status AS WebcastStatus,
                   w.schedule_version AS ScheduleVersion, w.capacity AS Capacity
            FROM invitations i JOIN invitees v ON v.id = i.invitee_id JOIN webcasts w ON w.id = i.webcast_id
            WHERE i.token = @token AND v.status <> 'erased' AND w.status <> 'draft'
            {(forUpdate ? "FOR UPDATE OF i" : "")}
            """, new { token }, ct);
        if (view is null) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var expiresAt = (view.WebcastStatus == "cancelled" ? view.StartsAtUtc : view.EndsAtUtc) + TokenLifetimeAfterEnd;
        return now >= expiresAt ? null : view;
    }

    public async Task<(Result Result, View? View)> AnswerAsync(UnitOfWork uow, string token, Answer answer, string tenantSlug, CancellationToken ct)
    {
        var first = await FindAsync(uow, token, ct);
        if (first is null) return (Result.Unknown, null);
        // Serialise every answer to this webcast behind its row lock, then re-read the invitation.
        var webcast = await WebcastsApi.FindAsync(uow, first.WebcastId, forUpdate: true, ct);
        var view = await FindAsync(uow, token, ct, forUpdate: true);
        if (webcast is null || view is null) return (Result.Unknown, null);
        var now = time.GetUtcNow().UtcDateTime;
        if (!view.CanAnswer(now)) return (Result.Closed, view);

        var stamp = now.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        if (answer == Answer.Accept)
        {
            if (view.Status is "accepted" or "waitlisted") return (Result.Unchanged, view);
            var accepted = await uow.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM invitations WHERE webcast_id = @id AND status = 'accepted'", new { id = webcast.Id }, ct);
            var seat = webcast.Capacity is null || accepted < webcast.Capacity;
            await uow.ExecuteAsync("""
                UPDATE invitations SET status = @status, answer = 'accepted', responded_at = @now, updated_at = @now,
                       waitlisted_at = CASE WHEN @status = 'waitlisted' THEN @now END
                WHERE id = @id
                """, new { id = view.InvitationId, status = seat ? "accepted" : "waitlisted", now }, ct);
            await mail.EnqueueAsync(uow, seat ? "confirmation" : "waitlisted", $"v{webcast.ScheduleVersion}:{stamp}",
                new InvitationMail.Recipient { InvitationId = view.InvitationId, Token = view.Token, Email = view.Email ?? "", Status = seat ? "accepted" : "waitlisted", InviteeStatus = view.InviteeStatus },
                webcast, tenantSlug, attachCalendar: seat, ct);
            await ReminderSchedule.ScheduleForInvitationAsync(uow, view.InvitationId, ct, time);
            return (seat ? Result.Accepted : Result.Waitlisted, await FindAsync(uow, token, ct));
        }

        if (view.Status == "declined") return (Result.Unchanged, view);
        await uow.ExecuteAsync("""
            UPDATE invitations SET status = 'declined', answer = 'declined', responded_at = @now, updated_at = @now, waitlisted_at = NULL WHERE id = @id
            """, new { id = view.InvitationId, now }, ct);
        // No reminders or nudges for someone who said no.
        await ReminderSchedule.ScheduleForInvitationAsync(uow, view.InvitationId, ct, time);
        if (view.Status == "accepted") await PromoteAsync(uow, webcast, tenantSlug, ct);
        return (Result.Declined, await FindAsync(uow, token, ct));
    }

    /// <summary>Fills free seats from the waitlist, first come first served. The caller holds the webcast's row lock.</summary>
    public async Task<int> PromoteAsync(UnitOfWork uow, WebcastRow webcast, string tenantSlug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (webcast.Status != "scheduled" || now >= webcast.StartsAtUtc) return 0;
        var promoted = (await uow.QueryAsync<InvitationMail.Recipient>($"""
            WITH free AS (
              SELECT CASE WHEN @capacity::int IS NULL THEN 2147483647
                          ELSE greatest(@capacity::int - count(*) FILTER (WHERE status = 'accepted'), 0) END AS seats
              FROM invitations WHERE webcast_id = @id
            ), next AS (
              SELECT id FROM invitations WHERE webcast_id = @id AND status = 'waitlisted'
              ORDER BY waitlisted_at, id LIMIT (SELECT seats FROM free)
            )
            UPDATE invitations i SET status = 'accepted', waitlisted_at = NULL, updated_at = @now
            FROM next, invitees v WHERE i.id = next.id AND v.id = i.invitee_id
            RETURNING {InvitationMail.RecipientColumns}
            """, new { id = webcast.Id, capacity = webcast.Capacity, now }, ct)).ToArray();
        var stamp = now.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var r in promoted.Where(r => !string.IsNullOrEmpty(r.Email)))
        {
            await mail.EnqueueAsync(uow, "promoted", $"v{webcast.ScheduleVersion}:{stamp}", r, webcast, tenantSlug, attachCalendar: true, ct);
        }
        foreach (var r in promoted) await ReminderSchedule.ScheduleForInvitationAsync(uow, r.InvitationId, ct, time);
        return promoted.Length;
    }
}
