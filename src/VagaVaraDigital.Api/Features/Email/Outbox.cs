using System.Text.Json;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>An e-mail to be sent: its kind, who gets it, when, and a key that makes enqueueing idempotent.</summary>
/// <param name="Kind">invitation, confirmation, waitlisted, promoted, reminder, nudge, reschedule, cancellation,
/// thank_you, missed_it, user_invitation, password_reset.</param>
/// <param name="IdempotencyKey">Unique per tenant, e.g. <c>$"{invitationId}:reminder:1440:v{scheduleVersion}"</c>.</param>
/// <param name="ToAddress">The recipient's address (never logged).</param>
/// <param name="Payload">Ids and links the template needs; no personal data beyond what the message shows.
/// Known fields (all optional; see docs/decisions/0031-e-mail-pipeline.md): <c>rsvpUrl</c>, <c>joinUrl</c>,
/// <c>calendarUrl</c>, <c>recordingUrl</c>, <c>actionUrl</c> (user invitation, password reset), <c>webcastId</c>,
/// <c>scheduleVersion</c>, <c>title</c>, <c>startsAtText</c>/<c>startsAtTextEn</c>, and
/// <c>attachments: [{ fileName, contentType, content }]</c> (text, e.g. an .ics) or <c>contentBase64</c>.
/// Every field is also available to the templates as <c>payload.&lt;name&gt;</c>.</param>
/// <param name="WebcastId">The webcast the message is about, when there is one (schedules recompute by it).</param>
/// <param name="Language">"sv" (default) or "en": which template.</param>
public sealed record OutboxMessage(
    string Kind,
    string IdempotencyKey,
    string ToAddress,
    Guid? InvitationId = null,
    string? UserId = null,
    DateTime? DueAt = null,
    object? Payload = null,
    Guid? WebcastId = null,
    string? Language = null);

/// <summary>
/// The one way into the e-mail pipeline: a row in <c>email_outbox</c>, written in the caller's unit of work so
/// the message exists exactly when the change that caused it commits. The sender job delivers it.
/// </summary>
public static class Outbox
{
    /// <summary>Adds the message unless one with the same idempotency key exists. Returns true when added.</summary>
    public static async Task<bool> EnqueueAsync(UnitOfWork uow, OutboxMessage message, CancellationToken ct = default)
    {
        var id = await uow.ExecuteScalarAsync<long?>("""
            INSERT INTO email_outbox (tenant_id, kind, idempotency_key, invitation_id, user_id, to_address, due_at, payload,
                                      webcast_id, language)
            VALUES (@tenantId, @Kind, @IdempotencyKey, @InvitationId, @UserId, @ToAddress, coalesce(@DueAt, now()), @payload::jsonb,
                    coalesce(@WebcastId, (SELECT webcast_id FROM invitations WHERE id = @InvitationId)), coalesce(@Language, 'sv'))
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            RETURNING id
            """,
            new
            {
                tenantId = uow.RequiredTenantId,
                message.Kind,
                message.IdempotencyKey,
                message.InvitationId,
                message.UserId,
                message.ToAddress,
                message.DueAt,
                message.WebcastId,
                message.Language,
                payload = JsonSerializer.Serialize(message.Payload ?? new { }, JsonSerializerOptions.Web),
            }, ct);
        return id is not null;
    }

    /// <summary>Cancels pending messages matching a key prefix (e.g. a webcast's reminders when it moves or is cancelled).</summary>
    public static Task<int> CancelPendingAsync(UnitOfWork uow, string idempotencyKeyPrefix, CancellationToken ct = default) =>
        uow.ExecuteAsync("""
            UPDATE email_outbox SET status = 'cancelled', updated_at = now()
            WHERE status = 'pending' AND starts_with(idempotency_key, @idempotencyKeyPrefix)
            """, new { idempotencyKeyPrefix }, ct);
}
