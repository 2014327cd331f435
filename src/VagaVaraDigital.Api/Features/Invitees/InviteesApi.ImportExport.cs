using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Reference;
using VagaVaraDigital.Api.Features.Invitees.Import;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Api.Features.Invitees;

public static partial class InviteesApi
{
    public sealed record ImportBatch(Guid Id, string CreatedBy, DateTime CreatedAt, string FileName, string Format, string? Encoding,
        string? Delimiter, string Policy, int RowCount, int CreatedCount, int UpdatedCount, int UnchangedCount, int SkippedCount);

    static void MapImportExportEndpoints(RouteGroupBuilder staff)
    {
        staff.MapPost("/imports", Import).WithName("ImportInvitees")
            .WithSummary("Importera CSV eller Excel (provkörning med dryRun=true)")
            .WithDescription("""
                multipart/form-data med fälten file, dryRun (true/false), policy (update/skip) och mapping (JSON {"Rubrik": "fält"}),
                eller filen som hela kroppen med samma värden i frågesträngen (fileName, dryRun, policy, mapping).
                """)
            .DisableAntiforgery();
        staff.MapGet("/imports", ListImports).WithName("ListInviteeImports").WithSummary("Genomförda importer, nyast först");
        staff.MapGet("/imports/{id}", GetImport).WithName("GetInviteeImport").WithSummary("En import");
        staff.MapGet("/export", Export).WithName("ExportInvitees").WithSummary("Exportera (filtrerad) lista som CSV eller XLSX");
    }

    static async Task<IResult> Import(HttpRequest request, Db db, CurrentUser user, AuditLog audit, PersonKeys personKeys,
        ReferenceData reference, IOptions<InviteeOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        if (request.ContentLength > limits.MaxImportBytes + 64 * 1024) return TooLarge(limits);

        var form = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in request.Query) form[key] = value.ToString();
        ImportFile? file = null;
        try
        {
            try
            {
                if (request.HasFormContentType && MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
                    && HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is { Length: > 0 } boundary)
                {
                    var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = limits.MaxImportBytes + 64 * 1024 };
                    while (await reader.ReadNextSectionAsync(ct) is { } section)
                    {
                        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                        if (fileName is not null || name == "file")
                        {
                            if (file is not null) continue;
                            file = await ImportFile.SaveAsync(section.Body, CleanFileName(fileName ?? form.GetValueOrDefault("fileName")), limits.MaxImportBytes, ct);
                        }
                        else
                        {
                            using var sr = new StreamReader(section.Body);
                            var value = new char[64 * 1024];
                            var n = await sr.ReadBlockAsync(value, ct);
                            form[name] = new string(value, 0, n);
                        }
                    }
                }
                else if (!request.HasFormContentType && request.ContentType is not null && !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                {
                    file = await ImportFile.SaveAsync(request.Body, CleanFileName(form.GetValueOrDefault("fileName")), limits.MaxImportBytes, ct);
                }
            }
            catch (ImportTooLargeException)
            {
                return TooLarge(limits);
            }
            catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
            {
                return TooLarge(limits);
            }
            catch (ImportFileException e)
            {
                return FileProblem(e);
            }
            if (file is null)
                return Problems.Result(400, "no_file", "Ingen fil", "Skicka filen som multipart/form-data (fältet file) eller som hela kroppen (text/csv eller .xlsx).");

            var errors = new Dictionary<string, string[]>();
            var dryRun = !form.TryGetValue("dryRun", out var d) || d.Length == 0 ? false : bool.TryParse(d, out var b) ? b : (bool?)null;
            if (dryRun is null) errors["dryRun"] = ["Ange true eller false."];
            var policy = form.GetValueOrDefault("policy") is { Length: > 0 } p ? p.ToLowerInvariant() : "update";
            if (policy is not ("update" or "skip")) errors["policy"] = ["Ange update (uppdatera befintliga) eller skip (hoppa över befintliga)."];
            Dictionary<string, string>? mapping = null;
            if (form.GetValueOrDefault("mapping") is { Length: > 0 } m)
            {
                try { mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(m); }
                catch (JsonException) { errors["mapping"] = ["Mappningen ska vara JSON: {\"Rubrik i filen\": \"fält\"}."]; }
            }
            if (errors.Count > 0) return Problems.Validation(errors);

            await using var uow = await db.BeginAsync(ct);
            ImportReport report;
            try
            {
                report = await InviteeImport.RunAsync(uow, file,
                    new InviteeImport.Options(dryRun!.Value, policy, mapping, limits.MaxImportRows, user.Id ?? "unknown"), personKeys,
                    await MunicipalityLookup.LoadAsync(reference, uow), ct);
            }
            catch (ImportFileException e)
            {
                return FileProblem(e);
            }
            catch (ImportTooManyRowsException e)
            {
                return Problems.Result(400, "too_many_rows", "För många rader",
                    $"En import får ha högst {e.Max:N0} personer. Dela upp filen. / At most {e.Max:N0} rows per import; split the file.".Replace(',', ' '));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                return Problems.Conflict("import_conflict", "Listan ändrades under importen", "Ingenting importerades. Försök igen.");
            }

            if (report.ErrorCount > 0 && !report.DryRun)
            {
                return Problems.Result(400, "import_rejected", "Filen innehåller fel – ingenting importerades",
                    $"{report.InvalidRows} av {report.Rows} rader behöver rättas. Se rapporten.",
                    new Dictionary<string, object?> { ["report"] = report });
            }
            if (report.Committed)
            {
                await audit.RecordAsync(uow, "invitees.imported", $"import:{report.BatchId}", new
                {
                    report.Format, report.Policy, report.Rows, report.Created, report.Updated, report.Unchanged, report.Skipped,
                }, ct);
                await uow.CommitAsync(ct);
            }
            return TypedResults.Ok(report);
        }
        finally
        {
            if (file is not null) await file.DisposeAsync();
        }
    }

    static ProblemHttpResult TooLarge(InviteeOptions limits) => Problems.Result(413, "file_too_large", "Filen är för stor",
        $"En import får vara högst {limits.MaxImportBytes / (1024 * 1024)} MB. / The file is larger than {limits.MaxImportBytes / (1024 * 1024)} MB.");

    static ProblemHttpResult FileProblem(ImportFileException e) =>
        Problems.Result(400, e.Code, "Filen kan inte importeras", e.Swedish,
            new Dictionary<string, object?> { ["english"] = e.English, ["row"] = e.Row });

    static string CleanFileName(string? name)
    {
        var n = Path.GetFileName((name ?? "").Replace('\\', '/')).Trim();
        n = new string(n.Where(c => !char.IsControl(c)).ToArray());
        return n.Length == 0 ? "import" : n.Length > 255 ? n[..255] : n;
    }

    static async Task<Ok<ImportBatch[]>> ListImports(Db db, int? limit, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var rows = await uow.QueryAsync<ImportBatch>($"""
            SELECT {BatchColumns} FROM invitee_import_batches ORDER BY created_at DESC, id DESC LIMIT @take
            """, new { take = Math.Clamp(limit ?? 100, 1, 500) }, ct);
        return TypedResults.Ok(rows.ToArray());
    }

    static async Task<Results<Ok<ImportBatch>, ProblemHttpResult>> GetImport([FromRoute(Name = "id")] string idText, Db db, CancellationToken ct)
    {
        if (!Guid.TryParse(idText, out var id)) return Problems.NotFound("Importen finns inte");
        await using var uow = await db.BeginAsync(ct);
        var row = await uow.QuerySingleOrDefaultAsync<ImportBatch>($"SELECT {BatchColumns} FROM invitee_import_batches WHERE id = @id", new { id }, ct);
        return row is null ? Problems.NotFound("Importen finns inte") : TypedResults.Ok(row);
    }

    const string BatchColumns = """
        id, created_by AS CreatedBy, created_at AS CreatedAt, file_name AS FileName, format, encoding, delimiter, policy,
        row_count AS RowCount, created_count AS CreatedCount, updated_count AS UpdatedCount, unchanged_count AS UnchangedCount,
        skipped_count AS SkippedCount
        """;

    /// <summary>The list's filters (see ListInvitees) and <c>format</c> = csv (default) or xlsx.</summary>
    static async Task<IResult> Export(HttpContext context, Db db, CurrentUser user, AuditLog audit, string? format, CancellationToken ct)
    {
        var filter = FilterFrom(context.Request, user);
        var errors = filter.Validate();
        format = (format ?? "csv").ToLowerInvariant();
        if (format is not ("csv" or "xlsx")) errors["format"] = ["Ange csv eller xlsx."];
        if (errors.Count > 0) return Problems.Validation(errors);

        await using var uow = await db.BeginAsync(ct);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
        var fileName = $"inbjudna-{uow.RequiredTenantId}-{stamp}.{format}";
        var auditDetails = (int count) => new
        {
            format, count,
            // the filter, without the free text (it may be a name)
            search = filter.Search is not null, filter.Municipalities, filter.RoleCategories, filter.Tags, filter.Statuses, filter.Source,
        };

        // written to a temporary file first, so the audit entry commits with the export and the rows are counted
        var tmp = Path.Combine(Path.GetTempPath(), $"vvd-export-{Guid.NewGuid():N}.{format}");
        try
        {
            int count;
            if (format == "csv")
            {
                await using var f = File.Create(tmp);
                count = await InviteeExport.WriteCsvAsync(uow, filter, f, ct);
            }
            else
            {
                count = await InviteeExport.WriteXlsxAsync(uow, filter, tmp, ct);
            }
            await audit.RecordAsync(uow, "invitees.exported", $"tenant:{uow.RequiredTenantId}", auditDetails(count), ct);
            await uow.CommitAsync(ct);
            var stream = new FileStream(tmp, FileMode.Open, FileAccess.Read, FileShare.Delete, 65536, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            return TypedResults.File(stream, format == "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }
}
