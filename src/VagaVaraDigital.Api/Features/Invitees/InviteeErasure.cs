using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// Erasure (GDPR art. 17; also what DELETE does and what the retention purge does): every personal column is
/// emptied, the row stays with its id, <c>person_key</c>, municipality and role category, so invitations,
/// attendance and reach counts are unchanged and anonymous. Pending e-mails to the invitee are cancelled.
/// </summary>
public static class InviteeErasure
{
    /// <summary>The SQL that erases the invitees matched by <paramref name="where"/> (over alias <c>i</c>), returning their ids.</summary>
    internal static string EraseSql(string where) => $"""
        WITH erased AS (
          UPDATE invitees i SET first_name = NULL, last_name = NULL, email = NULL, email_normalized = NULL, title = NULL,
                 phone = NULL, notes = NULL, tags = '{"{}"}', nominated_by = NULL, status = 'erased', erased_at = now(), updated_at = now()
          WHERE {where} AND i.status <> 'erased'
          RETURNING i.id
        ), cancelled AS (
          -- the outbox keeps no address of an erased person; what was still to be sent is cancelled
          UPDATE email_outbox o SET to_address = 'raderad@invalid', payload = '{"{}"}'::jsonb, updated_at = now(),
                 status = CASE WHEN o.status IN ('pending', 'failed') THEN 'cancelled' ELSE o.status END
          WHERE o.invitation_id IN (SELECT v.id FROM invitations v JOIN erased e ON e.id = v.invitee_id)
        )
        SELECT id FROM erased
        """;

    /// <summary>
    /// Erases one invitee of the unit of work's tenant (the caller writes the audit entry). Null when there is no
    /// such invitee; false when it was erased already; true when erased now.
    /// </summary>
    public static async Task<bool?> EraseAsync(UnitOfWork uow, Guid inviteeId, CancellationToken ct = default)
    {
        var exists = await uow.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT FROM invitees WHERE id = @inviteeId)", new { inviteeId }, ct);
        if (!exists) return null;
        return (await uow.QueryAsync<Guid>(EraseSql("i.id = @inviteeId"), new { inviteeId }, ct)).Any();
    }
}
