using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Webcasts;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Attendance;

/// <summary>
/// Attendance of a webcast: Teams/Zoom report import (preview → manual matching of what did not match →
/// commit in one transaction; the same report twice changes nothing) and manual marking by county staff.
/// </summary>
public static class AttendanceApi
{
    /// <summary>The report file, base64 in JSON. <c>Matches</c>: row key → invitation id, for rows without an e-mail match.</summary>
    public sealed record ReportUpload(string? FileName, string? ContentBase64, string? Format, Dictionary<string, Guid>? Matches);

    public sealed record PreviewRow(string Key, string Name, string? Email, int Minutes, int Sessions, Guid? InvitationId,
        string? MatchedBy, bool CountsAsAttended);

    public sealed record ImportPreview(string Source, int Rows, int Matched, int Unmatched, int IgnoredRows, int ThresholdMinutes,
        bool AlreadyImported, PreviewRow[] Items);

    public sealed record ImportResult(Guid ImportId, string Source, bool AlreadyImported, int Rows, int Matched, int Unmatched,
        PreviewRow[] UnmatchedRows);

    public sealed record ImportSummary(Guid Id, string Source, string? FileName, int RowsTotal, int RowsMatched, string? CreatedBy, DateTime CreatedAt);

    public sealed record ManualMark(bool Attended, int? Minutes);

    public sealed record ManualMarkResult(Guid InvitationId, string Status);

    public static IServiceCollection AddAttendance(this IServiceCollection services) => services.AddSingleton<AttendanceRecorder>();

    public static IEndpointRouteBuilder MapAttendanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webcasts/{webcastId:guid}").WithTags("Attendance").RequireTenant().RequireAuthorization(Policies.CountyStaff);
        group.MapGet("/attendance/imports", ListImports).WithName("ListAttendanceImports").WithSummary("Inlästa närvarorapporter");
        group.MapPost("/attendance/imports/preview", Preview).WithName("PreviewAttendanceImport")
            .WithSummary("Förhandsgranska en närvarorapport (Teams eller Zoom)");
        group.MapPost("/attendance/imports", Commit).WithName("CommitAttendanceImport").WithSummary("Läs in en närvarorapport");
        group.MapPut("/invitations/{invitationId:guid}/attendance", Mark).WithName("MarkAttendance").WithSummary("Markera närvaro för hand");
        return app;
    }

    static (ParsedReport? Report, byte[] Bytes, ValidationProblem? Error) Read(ReportUpload upload)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(upload.ContentBase64 ?? "");
        }
        catch (FormatException)
        {
            return (null, [], Invalid("Filens innehåll kom inte fram (contentBase64 är inte base64)."));
        }
        try
        {
            return (AttendanceReports.Parse(bytes, upload.Format), bytes, null);
        }
        catch (ReportFormatException e)
        {
            return (null, bytes, Invalid(e.Message));
        }
    }

    static ValidationProblem Invalid(string message) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["file"] = [message] }, detail: message, title: "Rapporten går inte att läsa",
        extensions: new Dictionary<string, object?> { ["code"] = "report_unreadable" });

    sealed class Candidate
    {
        public Guid Id { get; init; }
        public string? Email { get; init; }
    }

    static async Task<(PreviewRow[] Rows, int Threshold)> MatchAsync(UnitOfWork uow, Guid webcastId, ParsedReport report,
        Dictionary<string, Guid>? manual, CancellationToken ct)
    {
        var candidates = (await uow.QueryAsync<Candidate>("""
            SELECT i.id AS Id, lower(coalesce(v.email_normalized, v.email)) AS Email
            FROM invitations i JOIN invitees v ON v.id = i.invitee_id WHERE i.webcast_id = @webcastId
            """, new { webcastId }, ct)).ToArray();
        var byEmail = candidates.Where(c => c.Email is not null).GroupBy(c => c.Email!).ToDictionary(g => g.Key, g => g.First().Id);
        var ids = candidates.Select(c => c.Id).ToHashSet();
        var threshold = await uow.ExecuteScalarAsync<int>("SELECT attendance_threshold_minutes FROM tenant_settings", ct: ct);
        var rows = report.Rows.Select(r =>
        {
            Guid? id = null;
            string? by = null;
            if (r.Email is { } e && byEmail.TryGetValue(e.Trim().ToLowerInvariant(), out var found)) (id, by) = (found, "email");
            else if (manual is not null && manual.TryGetValue(r.Key, out var chosen) && ids.Contains(chosen)) (id, by) = (chosen, "manual");
            return new PreviewRow(r.Key, r.Name, r.Email, r.Minutes, r.Sessions, id, by, id is not null && r.Minutes >= threshold);
        }).ToArray();
        return (rows, threshold);
    }

    static async Task<Results<Ok<ImportPreview>, ValidationProblem, ProblemHttpResult>> Preview(Guid webcastId, ReportUpload upload, Db db,
        CancellationToken ct)
    {
        var (report, bytes, error) = Read(upload);
        if (error is not null) return error;
        await using var uow = await db.BeginAsync(ct);
        if (await WebcastsApi.FindAsync(uow, webcastId, forUpdate: false, ct) is null) return WebcastsApi.WebcastNotFound();
        var (rows, threshold) = await MatchAsync(uow, webcastId, report!, upload.Matches, ct);
        var already = await uow.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT FROM attendance_imports WHERE webcast_id = @webcastId AND content_sha256 = @sha)",
            new { webcastId, sha = Sha(bytes) }, ct);
        return TypedResults.Ok(new ImportPreview(report!.Source, rows.Length, rows.Count(r => r.InvitationId is not null),
            rows.Count(r => r.InvitationId is null), report.IgnoredRows, threshold, already, rows));
    }

    static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Commit(Guid webcastId, ReportUpload upload, Db db,
        CurrentUser user, AuditLog audit, AttendanceRecorder recorder, TimeProvider time, CancellationToken ct)
    {
        var (report, bytes, error) = Read(upload);
        if (error is not null) return error;
        await using var uow = await db.BeginAsync(ct);
        var webcast = await WebcastsApi.FindAsync(uow, webcastId, forUpdate: true, ct);
        if (webcast is null) return WebcastsApi.WebcastNotFound();
        if (webcast.Status is "draft" or "cancelled" || time.GetUtcNow().UtcDateTime < webcast.StartsAtUtc)
            return Problems.Conflict("webcast_not_started", "Webbsändningen har inte ägt rum", "Närvaro kan läsas in när sändningen har börjat.");

        var sha = Sha(bytes);
        var (rows, _) = await MatchAsync(uow, webcastId, report!, upload.Matches, ct);
        var matched = rows.Where(r => r.InvitationId is not null).ToArray();
        var unmatched = rows.Where(r => r.InvitationId is null).ToArray();
        var importId = await uow.ExecuteScalarAsync<Guid?>("""
            INSERT INTO attendance_imports (tenant_id, webcast_id, source, content_sha256, file_name, rows_total, rows_matched, created_by)
            VALUES (@tenant, @webcastId, @source, @sha, @fileName, @total, @matched, @by)
            ON CONFLICT (tenant_id, webcast_id, content_sha256) DO NOTHING
            RETURNING id
            """, new
        {
            tenant = uow.RequiredTenantId, webcastId, source = report!.Source, sha, fileName = Truncate(upload.FileName, 255),
            total = rows.Length, matched = matched.Length, by = user.Id,
        }, ct);
        if (importId is null)
        {
            var existing = await uow.ExecuteScalarAsync<Guid>(
                "SELECT id FROM attendance_imports WHERE webcast_id = @webcastId AND content_sha256 = @sha", new { webcastId, sha }, ct);
            return TypedResults.Ok(new ImportResult(existing, report.Source, AlreadyImported: true, rows.Length, matched.Length, unmatched.Length, unmatched));
        }

        // Several rows may land on one invitation (a manual match next to an e-mail match): their minutes add up.
        foreach (var g in matched.GroupBy(r => r.InvitationId!.Value))
        {
            await uow.ExecuteAsync("""
                INSERT INTO attendance (tenant_id, invitation_id, source, minutes, joined_at, recorded_at, recorded_by, import_id)
                VALUES (@tenant, @invitationId, @source, @minutes, NULL, now(), @by, @importId)
                ON CONFLICT (invitation_id, source) DO UPDATE
                  SET minutes = EXCLUDED.minutes, recorded_at = now(), recorded_by = EXCLUDED.recorded_by, import_id = EXCLUDED.import_id
                """, new { tenant = uow.RequiredTenantId, invitationId = g.Key, source = report.Source, minutes = g.Sum(r => r.Minutes), by = user.Id, importId }, ct);
        }
        await recorder.RecomputeAsync(uow, webcastId, ct);
        await audit.RecordAsync(uow, "attendance.imported", $"webcast:{webcastId}",
            new { importId, report.Source, rows = rows.Length, matched = matched.Length, unmatched = unmatched.Length }, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new ImportResult(importId.Value, report.Source, AlreadyImported: false, rows.Length, matched.Length, unmatched.Length, unmatched));
    }

    static string? Truncate(string? s, int max) => s is null ? null : s.Length <= max ? s : s[..max];

    static async Task<Results<Ok<ImportSummary[]>, ProblemHttpResult>> ListImports(Guid webcastId, Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        if (await WebcastsApi.FindAsync(uow, webcastId, forUpdate: false, ct) is null) return WebcastsApi.WebcastNotFound();
        var rows = await uow.QueryAsync<ImportSummary>("""
            SELECT id AS Id, source AS Source, file_name AS FileName, rows_total AS RowsTotal, rows_matched AS RowsMatched,
                   created_by AS CreatedBy, created_at AS CreatedAt
            FROM attendance_imports WHERE webcast_id = @webcastId ORDER BY created_at DESC, id
            """, new { webcastId }, ct);
        return TypedResults.Ok(rows.ToArray());
    }

    /// <summary>
    /// Manual marking: attended → a 'manual' attendance row (counts whatever the minutes); not attended → the
    /// manual row is removed (a tracked join or a report over the threshold still counts).
    /// </summary>
    static async Task<Results<Ok<ManualMarkResult>, ValidationProblem, ProblemHttpResult>> Mark(Guid webcastId, Guid invitationId,
        ManualMark mark, Db db, CurrentUser user, AuditLog audit, AttendanceRecorder recorder, TimeProvider time, CancellationToken ct)
    {
        if (mark.Minutes is < 0 or > 1440)
            return Problems.Validation(new Dictionary<string, string[]> { ["minutes"] = ["Ange mellan 0 och 1 440 minuter."] });
        await using var uow = await db.BeginAsync(ct);
        var webcast = await WebcastsApi.FindAsync(uow, webcastId, forUpdate: true, ct);
        if (webcast is null) return WebcastsApi.WebcastNotFound();
        var exists = await uow.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT FROM invitations WHERE id = @invitationId AND webcast_id = @webcastId)", new { invitationId, webcastId }, ct);
        if (!exists) return Problems.NotFound("Inbjudan finns inte");
        if (webcast.Status is "draft" or "cancelled" || time.GetUtcNow().UtcDateTime < webcast.StartsAtUtc)
            return Problems.Conflict("webcast_not_started", "Webbsändningen har inte ägt rum", "Närvaro kan markeras när sändningen har börjat.");
        if (mark.Attended)
        {
            await uow.ExecuteAsync("""
                INSERT INTO attendance (tenant_id, invitation_id, source, minutes, recorded_at, recorded_by)
                VALUES (@tenant, @invitationId, 'manual', @minutes, now(), @by)
                ON CONFLICT (invitation_id, source) DO UPDATE SET minutes = EXCLUDED.minutes, recorded_at = now(), recorded_by = EXCLUDED.recorded_by
                """, new { tenant = uow.RequiredTenantId, invitationId, minutes = mark.Minutes, by = user.Id }, ct);
        }
        else
        {
            await uow.ExecuteAsync("DELETE FROM attendance WHERE invitation_id = @invitationId AND source = 'manual'", new { invitationId }, ct);
        }
        await recorder.RecomputeAsync(uow, webcastId, ct);
        await audit.RecordAsync(uow, mark.Attended ? "attendance.marked" : "attendance.unmarked", $"invitation:{invitationId}", null, ct);
        var status = await uow.ExecuteScalarAsync<string>("SELECT status FROM invitations WHERE id = @invitationId", new { invitationId }, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new ManualMarkResult(invitationId, status!));
    }
}
