using System.Globalization;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Every morning, per tenant: one summary to each of the tenant's CountyAdmins (active, activated account, not
/// opted out with <c>PUT /api/email/my-settings</c>) — new answers, messages that could not be delivered, upcoming
/// webcasts, in the admin's language. The content is aggregate (counts and webcast titles; no invitee's data) and the same for every admin.
/// Through the outbox with the key <c>digest:{day}:{userId}</c>: running twice on a day sends once per admin.
/// Nothing is sent on a day with nothing to report (no answers, no failures, no webcast in the next two weeks).
/// </summary>
public sealed class DailyDigestJob(Db db, TimeProvider clock) : ITenantJob
{
    /// <summary>How far ahead the digest lists webcasts.</summary>
    public static readonly TimeSpan UpcomingWindow = TimeSpan.FromDays(14);

    sealed class Upcoming
    {
        public string Title { get; init; } = "";
        public DateTime StartsAt { get; init; }
        public long Accepted { get; init; }
    }

    sealed class Counts
    {
        public long Accepted { get; init; }
        public long Declined { get; init; }
        public long Failed { get; init; }
        public string TimeZone { get; init; } = "Europe/Stockholm";
    }

    sealed class Admin
    {
        public string UserId { get; init; } = "";
        public string Email { get; init; } = "";
        public string? DisplayName { get; init; }
        public string Language { get; init; } = "sv";
    }

    public async Task RunAsync(string tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-1);
        await using var uow = await db.BeginAsync(ct);
        // "AspNetUsers" is global (docs/decisions/0011): the tenant is a column, checked here.
        var admins = (await uow.QueryAsync<Admin>("""
            SELECT u."Id" AS UserId, u."Email" AS Email, u."DisplayName" AS DisplayName,
                   coalesce((SELECT p.language FROM user_preferences p WHERE p.user_id = u."Id"), 'sv') AS Language
            FROM "AspNetUsers" u
            WHERE u."TenantId" = @tenantId AND u."Role" = @role AND u."IsActive" AND u."EmailConfirmed" AND u."Email" IS NOT NULL
              AND NOT EXISTS (SELECT FROM email_user_settings s WHERE s.user_id = u."Id" AND NOT s.daily_digest)
            ORDER BY u."Id"
            """, new { tenantId = uow.RequiredTenantId, role = Roles.CountyAdmin }, ct)).ToArray();
        if (admins.Length == 0) return;

        var counts = await uow.QuerySingleAsync<Counts>("""
            SELECT (SELECT count(*) FROM invitations WHERE status IN ('accepted', 'attended', 'absent') AND responded_at >= @since) AS accepted,
                   (SELECT count(*) FROM invitations WHERE status = 'declined' AND responded_at >= @since) AS declined,
                   (SELECT count(*) FROM email_outbox WHERE status = 'failed' AND updated_at >= @since) AS failed,
                   (SELECT time_zone FROM tenant_settings) AS TimeZone
            """, new { since }, ct);
        var upcoming = (await uow.QueryAsync<Upcoming>("""
            SELECT w.title, w.starts_at AS StartsAt, count(i.id) FILTER (WHERE i.status = 'accepted') AS accepted
            FROM webcasts w LEFT JOIN invitations i ON i.webcast_id = w.id
            WHERE w.status = 'scheduled' AND w.starts_at BETWEEN @now AND @until
            GROUP BY w.id ORDER BY w.starts_at LIMIT 20
            """, new { now, until = now + UpcomingWindow }, ct)).ToArray();
        if (counts is { Accepted: 0, Declined: 0, Failed: 0 } && upcoming.Length == 0) return;

        var tz = TimeZoneInfo.FindSystemTimeZoneById(counts.TimeZone);
        var localDay = TimeZoneInfo.ConvertTimeFromUtc(now, tz).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        object Digest(string language) => new
        {
            accepted = counts.Accepted,
            declined = counts.Declined,
            failed = counts.Failed,
            upcoming = upcoming.Select(u => new
            {
                title = u.Title,
                startsAt = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(u.StartsAt, DateTimeKind.Utc), tz).ToString(
                    language == "en" ? "dddd d MMMM 'at' HH:mm" : "dddd d MMMM 'kl.' HH:mm",
                    CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : "sv-SE")),
                accepted = u.Accepted,
            }).ToArray(),
        };
        // In each admin's language (the admin app's per-person preference, migration 0600; Swedish without one).
        foreach (var admin in admins)
        {
            var language = admin.Language == "en" ? "en" : "sv";
            await Outbox.EnqueueAsync(uow, new OutboxMessage("digest", $"digest:{localDay}:{admin.UserId}", admin.Email, UserId: admin.UserId,
                Payload: new { digest = Digest(language), displayName = admin.DisplayName }, Language: language), ct);
        }
        await uow.CommitAsync(ct);
    }
}
