using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Invitees;

public static partial class InviteesApi
{
    public sealed record PrivacySettingsUpdate(string? LegalBasis, string? Purpose, int RetentionMonths);
    public sealed record SubjectAccessRequest(string? Email);

    static void MapPrivacyEndpoints(IEndpointRouteBuilder app)
    {
        var tenant = app.MapGroup("/api/privacy").WithTags("Privacy").RequireTenant();
        tenant.MapGet("/", GetNotice).AllowAnonymous().WithName("GetPrivacyNotice")
            .WithSummary("Personuppgiftsinformation för länets publika sidor");
        tenant.MapPut("/", UpdatePrivacy).RequireAuthorization(Policies.CountyAdmin).WithName("UpdatePrivacySettings")
            .WithSummary("Rättslig grund, ändamål och lagringstid");
        tenant.MapPost("/purge", Purge).RequireAuthorization(Policies.CountyAdmin).WithName("PurgeExpiredInvitees")
            .WithSummary("Gallra nu det som passerat lagringstiden (körs annars varje natt)");

        var staff = app.MapGroup("/api/invitees").WithTags("Invitees").RequireTenant().RequireAuthorization(Policies.CountyStaff);
        staff.MapPost("/subject-access", SubjectAccess).WithName("InviteeSubjectAccess")
            .WithSummary("Registerutdrag: allt som finns om en e-postadress (JSON)");
    }

    static async Task<Ok<InviteePrivacy.Notice>> GetNotice(Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await InviteePrivacy.GetNoticeAsync(uow, ct));
    }

    static async Task<Results<Ok<InviteePrivacy.Notice>, ValidationProblem>> UpdatePrivacy(PrivacySettingsUpdate update, Db db,
        AuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(update.LegalBasis) || update.LegalBasis.Trim().Length > 4000)
            errors["legalBasis"] = ["Ange den rättsliga grunden (högst 4 000 tecken)."];
        if (string.IsNullOrWhiteSpace(update.Purpose) || update.Purpose.Trim().Length > 4000)
            errors["purpose"] = ["Ange ändamålet (högst 4 000 tecken)."];
        if (update.RetentionMonths is < 1 or > 120) errors["retentionMonths"] = ["Lagringstiden ska vara 1–120 månader."];
        if (errors.Count > 0) return Problems.Validation(errors);

        await using var uow = await db.BeginAsync(ct);
        await uow.ExecuteAsync("""
            INSERT INTO invitee_privacy_settings (tenant_id, legal_basis, purpose, retention_months, updated_at)
            VALUES (@tenantId, @legalBasis, @purpose, @RetentionMonths, now())
            ON CONFLICT (tenant_id) DO UPDATE SET legal_basis = excluded.legal_basis, purpose = excluded.purpose,
                retention_months = excluded.retention_months, updated_at = now()
            """, new { tenantId = uow.RequiredTenantId, legalBasis = update.LegalBasis!.Trim(), purpose = update.Purpose!.Trim(), update.RetentionMonths }, ct);
        await audit.RecordAsync(uow, "privacy.updated", $"tenant:{uow.RequiredTenantId}", new { update.RetentionMonths }, ct);
        var notice = await InviteePrivacy.GetNoticeAsync(uow, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(notice);
    }

    public sealed record PurgeResult(int Erased);

    static async Task<Ok<PurgeResult>> Purge(Db db, TimeProvider clock, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var erased = await InviteeRetention.PurgeAsync(uow, clock.GetUtcNow().UtcDateTime, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new PurgeResult(erased.Count));
    }

    /// <summary>Register extract (GDPR art. 15): everything this tenant holds about one e-mail address.</summary>
    static async Task<Results<Ok<SubjectAccessReport>, ValidationProblem>> SubjectAccess(SubjectAccessRequest request, Db db,
        AuditLog audit, CancellationToken ct)
    {
        var normalized = EmailAddress.Normalize(request.Email);
        if (normalized is null) return Problems.Validation(new Dictionary<string, string[]> { ["email"] = ["Ange en giltig e-postadress."] });

        await using var uow = await db.BeginAsync(ct);
        var report = await InviteeSubjectAccess.ReportAsync(uow, normalized, ct);
        await audit.RecordAsync(uow, "invitee.subject_access", report.Invitee is null ? null : $"invitee:{report.Invitee.Id}",
            new { found = report.Invitee is not null }, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(report);
    }
}
