using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Features.Invitees;

public sealed record SubjectAccessReport(
    string Email,
    DateTime GeneratedAt,
    InviteePrivacy.Notice Notice,
    Invitee? Invitee,
    IReadOnlyList<SubjectAccessInvitation> Invitations,
    IReadOnlyList<SubjectAccessEmail> Emails,
    SubjectAccessImport? ImportBatch);

public sealed class SubjectAccessInvitation
{
    public Guid Id { get; init; }
    public required string WebcastTitle { get; init; }
    public DateTime WebcastStartsAt { get; init; }
    public required string Status { get; init; }
    public DateTime? RespondedAt { get; init; }
    public DateTime? SentAt { get; init; }
    public int? AttendedMinutes { get; init; }
    public string? AttendanceSources { get; init; }
}

public sealed record SubjectAccessEmail(string Kind, string Status, DateTime CreatedAt, DateTime? SentAt);

public sealed record SubjectAccessImport(Guid Id, DateTime CreatedAt, string FileName);

/// <summary>Gathers the data-subject export (read-only; invitations, attendance and e-mail are read as they are stored).</summary>
public static class InviteeSubjectAccess
{
    public static async Task<SubjectAccessReport> ReportAsync(UnitOfWork uow, string normalizedEmail, CancellationToken ct)
    {
        var notice = await InviteePrivacy.GetNoticeAsync(uow, ct);
        var invitee = await uow.QuerySingleOrDefaultAsync<Invitee>(
            $"SELECT {Invitee.Columns} FROM {Invitee.From} WHERE i.email_normalized = @normalizedEmail", new { normalizedEmail }, ct);
        if (invitee is null) return new(normalizedEmail, DateTime.UtcNow, notice, null, [], [], null);

        var invitations = (await uow.QueryAsync<SubjectAccessInvitation>("""
            SELECT v.id, w.title AS WebcastTitle, w.starts_at AS WebcastStartsAt, v.status, v.responded_at AS RespondedAt,
                   v.sent_at AS SentAt, (SELECT sum(a.minutes)::int FROM attendance a WHERE a.invitation_id = v.id) AS AttendedMinutes,
                   (SELECT string_agg(a.source, ', ') FROM attendance a WHERE a.invitation_id = v.id) AS AttendanceSources
            FROM invitations v JOIN webcasts w ON w.id = v.webcast_id
            WHERE v.invitee_id = @Id ORDER BY w.starts_at
            """, new { invitee.Id }, ct)).ToArray();
        var emails = (await uow.QueryAsync<SubjectAccessEmail>("""
            SELECT o.kind, o.status, o.created_at AS CreatedAt, o.sent_at AS SentAt
            FROM email_outbox o JOIN invitations v ON v.id = o.invitation_id
            WHERE v.invitee_id = @Id ORDER BY o.created_at
            """, new { invitee.Id }, ct)).ToArray();
        var batch = invitee.ImportBatchId is null ? null : await uow.QuerySingleOrDefaultAsync<SubjectAccessImport>(
            "SELECT id, created_at AS CreatedAt, file_name AS FileName FROM invitee_import_batches WHERE id = @ImportBatchId",
            new { invitee.ImportBatchId }, ct);
        return new(normalizedEmail, DateTime.UtcNow, notice, invitee, invitations, emails, batch);
    }
}
