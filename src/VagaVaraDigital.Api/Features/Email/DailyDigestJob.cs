using System.Globalization;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Every morning, per tenant: a summary to the county's contact address (its admins' shared mailbox, from the
/// tenant settings) — new answers, messages that could not be delivered, upcoming webcasts. Counts and titles
/// only. Idempotent per day: running twice sends once.
/// </summary>
public sealed class DailyDigestJob(Db db, TimeProvider clock) : ITenantJob
{
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
        public string? ContactEmail { get; init; }
        public string TimeZone { get; init; } = "Europe/Stockholm";
    }

    public async Task RunAsync(string tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-1);
        await using var uow = await db.BeginAsync(ct);
        var counts = await uow.QuerySingleAsync<Counts>("""
            SELECT (SELECT count(*) FROM invitations WHERE status IN ('accepted', 'attended', 'absent') AND responded_at >= @since) AS accepted,
                   (SELECT count(*) FROM invitations WHERE status = 'declined' AND responded_at >= @since) AS declined,
                   (SELECT count(*) FROM email_outbox WHERE status = 'failed' AND updated_at >= @since) AS failed,
                   (SELECT contact_email FROM tenant_settings) AS ContactEmail,
                   (SELECT time_zone FROM tenant_settings) AS TimeZone
            """, new { since }, ct);
        if (string.IsNullOrWhiteSpace(counts.ContactEmail)) return;
        var upcoming = (await uow.QueryAsync<Upcoming>("""
            SELECT w.title, w.starts_at AS StartsAt, count(i.id) FILTER (WHERE i.status = 'accepted') AS accepted
            FROM webcasts w LEFT JOIN invitations i ON i.webcast_id = w.id
            WHERE w.status = 'scheduled' AND w.starts_at BETWEEN @now AND @until
            GROUP BY w.id ORDER BY w.starts_at LIMIT 20
            """, new { now, until = now.AddDays(14) }, ct)).ToArray();

        var tz = TimeZoneInfo.FindSystemTimeZoneById(counts.TimeZone);
        var localDay = TimeZoneInfo.ConvertTimeFromUtc(now, tz).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Outbox.EnqueueAsync(uow, new OutboxMessage("digest", $"digest:{localDay}", counts.ContactEmail, Payload: new
        {
            digest = new
            {
                accepted = counts.Accepted,
                declined = counts.Declined,
                failed = counts.Failed,
                upcoming = upcoming.Select(u => new
                {
                    title = u.Title,
                    startsAt = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(u.StartsAt, DateTimeKind.Utc), tz)
                        .ToString("dddd d MMMM 'kl.' HH:mm", CultureInfo.GetCultureInfo("sv-SE")),
                    accepted = u.Accepted,
                }).ToArray(),
            },
        }), ct);
        await uow.CommitAsync(ct);
    }
}
