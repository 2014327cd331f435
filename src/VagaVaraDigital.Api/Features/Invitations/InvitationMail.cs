using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Features.PublicPages;
using VagaVaraDigital.Api.Features.Webcasts;

namespace VagaVaraDigital.Api.Features.Invitations;

/// <summary>
/// The e-mails of the invitation flow, enqueued through <see cref="Outbox"/> in the caller's unit of work.
/// Payloads hold ids, links, the webcast's public facts and — where the message carries one — the .ics file
/// (<c>attachments</c>); the recipient's address is the outbox row's <c>to_address</c>, nothing else personal.
/// Idempotency keys start with the invitation id, so <c>Outbox.CancelPendingAsync(uow, $"{id}:")</c> stops them.
/// </summary>
public sealed class InvitationMail(PublicLinks links, TimeProvider time)
{
    /// <summary>An invitation as a recipient.</summary>
    public sealed class Recipient
    {
        public Guid InvitationId { get; init; }
        public string Token { get; init; } = "";
        public string Email { get; init; } = "";
        public string Status { get; init; } = "";
        public string InviteeStatus { get; init; } = "active";
    }

    public const string RecipientColumns =
        "i.id AS InvitationId, i.token AS Token, v.email AS Email, i.status AS Status, v.status AS InviteeStatus";

    /// <param name="kind">invitation, confirmation, waitlisted, promoted, reschedule, cancellation.</param>
    /// <param name="keySuffix">Makes the idempotency key: <c>{invitationId}:{kind}:{keySuffix}</c>.</param>
    public Task<bool> EnqueueAsync(UnitOfWork uow, string kind, string keySuffix, Recipient r, WebcastRow w, string tenantSlug,
        bool attachCalendar, CancellationToken ct)
    {
        // Opted-out and erased invitees get no e-mail, whatever happens to their invitation.
        if (r.InviteeStatus != "active" || string.IsNullOrWhiteSpace(r.Email)) return Task.FromResult(false);
        var now = time.GetUtcNow().UtcDateTime;
        object[] attachments = attachCalendar
            ? [new
            {
                fileName = w.Status == "cancelled" ? "installd-webbsandning.ics" : "webbsandning.ics",
                contentType = w.Status == "cancelled" ? "text/calendar; method=CANCEL; charset=utf-8" : "text/calendar; method=PUBLISH; charset=utf-8",
                content = CalendarFiles.Single(w.CalendarEvent(CalendarFiles.InvitationUid(r.InvitationId), links.Rsvp(tenantSlug, r.Token)), now),
            }]
            : [];
        var payload = new
        {
            webcastId = w.Id,
            scheduleVersion = w.ScheduleVersion,
            title = w.Title,
            startsAt = w.StartsAtUtc,
            startsAtLocal = StockholmTime.ToLocalIso(w.StartsAtUtc),
            startsAtText = StockholmTime.FormatSwedish(w.StartsAtUtc),
            startsAtTextEn = StockholmTime.FormatEnglish(w.StartsAtUtc),
            durationMinutes = w.DurationMinutes,
            platform = w.Platform,
            status = w.Status,
            rsvpUrl = links.Rsvp(tenantSlug, r.Token),
            joinUrl = links.Join(tenantSlug, r.Token),
            calendarUrl = links.PersonalCalendar(tenantSlug, r.Token),
            invitationStatus = r.Status,
            attachments,
        };
        return Outbox.EnqueueAsync(uow, new OutboxMessage(kind, $"{r.InvitationId}:{kind}:{keySuffix}", r.Email, r.InvitationId,
            Payload: payload, WebcastId: w.Id), ct);
    }
}
