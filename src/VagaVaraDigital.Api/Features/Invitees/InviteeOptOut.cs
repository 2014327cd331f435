using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// Opt-out: the invitee asked for no more e-mail from this tenant (the unsubscribe link, or staff recording
/// the request). Afterwards <see cref="InviteeRules"/> keeps them out of every mailing and invitation; their
/// pending e-mails are cancelled. An erased invitee stays erased.
/// </summary>
public static class InviteeOptOut
{
    /// <summary>
    /// Sets the invitee (of the unit of work's tenant) to opted out, audit-logged with ids only. Idempotent.
    /// Returns false when no such invitee exists in the tenant; true when the invitee is (now or already)
    /// opted out or erased.
    /// </summary>
    /// <param name="actorId">Who did it: a staff user id, or null for the invitee themselves (the unsubscribe link).</param>
    public static async Task<bool> OptOutAsync(UnitOfWork uow, Guid inviteeId, CancellationToken ct = default, string? actorId = null)
    {
        var status = await uow.QuerySingleOrDefaultAsync<string>(
            "SELECT status FROM invitees WHERE id = @inviteeId FOR UPDATE", new { inviteeId }, ct);
        if (status is null) return false;
        if (status != InviteeStatus.Active) return true;

        await uow.ExecuteAsync("""
            UPDATE invitees SET status = 'opted_out', opted_out_at = now(), updated_at = now() WHERE id = @inviteeId;
            -- Stop what is already queued for this invitee (the sender also checks InviteeRules at send time).
            UPDATE email_outbox SET status = 'cancelled', updated_at = now()
             WHERE status = 'pending' AND invitation_id IN (SELECT id FROM invitations WHERE invitee_id = @inviteeId);
            INSERT INTO audit_log (tenant_id, actor_id, actor_name, action, target, details)
            VALUES (@tenantId, @actor, @actor, 'invitee.opted_out', 'invitee:' || @inviteeId::text, jsonb_build_object('by', @by::text));
            """, new
        {
            inviteeId,
            tenantId = uow.RequiredTenantId,
            actor = actorId ?? $"invitee:{inviteeId}",
            by = actorId is null ? "unsubscribe_link" : "staff",
        }, ct);
        return true;
    }

    /// <summary>
    /// The person's own undo of an opt-out (from their personal link): back to active, audit-logged with ids only.
    /// E-mails cancelled by the opt-out stay cancelled (they may be out of date); new mailings reach the person.
    /// Idempotent. Returns false when the invitee does not exist in the tenant or was erased.
    /// </summary>
    public static async Task<bool> UndoOptOutAsync(UnitOfWork uow, Guid inviteeId, CancellationToken ct = default)
    {
        var status = await uow.QuerySingleOrDefaultAsync<string>(
            "SELECT status FROM invitees WHERE id = @inviteeId FOR UPDATE", new { inviteeId }, ct);
        if (status is null || status == InviteeStatus.Erased) return false;
        if (status == InviteeStatus.Active) return true;

        await uow.ExecuteAsync("""
            UPDATE invitees SET status = 'active', opted_out_at = NULL, updated_at = now() WHERE id = @inviteeId;
            INSERT INTO audit_log (tenant_id, actor_id, actor_name, action, target, details)
            VALUES (@tenantId, @actor, @actor, 'invitee.opt_out_undone', 'invitee:' || @inviteeId::text, jsonb_build_object('by', 'unsubscribe_link'));
            """, new { inviteeId, tenantId = uow.RequiredTenantId, actor = $"invitee:{inviteeId}" }, ct);
        return true;
    }
}
