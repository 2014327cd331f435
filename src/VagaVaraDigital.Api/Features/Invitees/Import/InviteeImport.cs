using Dapper;
using NpgsqlTypes;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Features.Invitees.Import;

/// <summary>One problem in one row of the file, in Swedish and English.</summary>
/// <param name="Row">The row as a spreadsheet numbers it (the header is row 1).</param>
/// <param name="Column">The file's header of the column, when the problem is in one column.</param>
public sealed record ImportIssue(int Row, string? Column, string Field, string Swedish, string English);

public sealed record ImportColumn(string Header, string? Field);

/// <summary>The result of an import or a dry run.</summary>
public sealed record ImportReport
{
    public bool DryRun { get; init; }
    public bool Committed { get; init; }
    public Guid? BatchId { get; init; }
    public required string FileName { get; init; }
    public required string Format { get; init; }
    public string? Encoding { get; init; }
    public string? Delimiter { get; init; }
    public required string Policy { get; init; }
    public required IReadOnlyList<ImportColumn> Columns { get; init; }
    /// <summary>Headers no field was mapped to (their values are not imported).</summary>
    public required IReadOnlyList<string> UnmappedColumns { get; init; }
    public int Rows { get; init; }
    public int ValidRows { get; init; }
    public int InvalidRows { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Unchanged { get; init; }
    /// <summary>Existing e-mails left as they were under the skip policy.</summary>
    public int Skipped { get; init; }
    public int ErrorCount { get; init; }
    /// <summary>The first <see cref="InviteeImport.MaxReportedIssues"/> problems, in row order.</summary>
    public required IReadOnlyList<ImportIssue> Errors { get; init; }
}

/// <summary>The import has more data rows than allowed (400).</summary>
public sealed class ImportTooManyRowsException(int max) : Exception($"More than {max} rows.")
{
    public int Max { get; } = max;
}

/// <summary>
/// Imports invitees from a file, streamed: each row is parsed, mapped and validated, and every valid row is
/// written at once by binary COPY into a temporary staging table; then one MERGE applies the staging table to
/// <c>invitees</c>. All in the caller's transaction: all or nothing. A file with any invalid row imports nothing.
/// </summary>
public static class InviteeImport
{
    public const int MaxReportedIssues = 1000;

    public sealed record Options(bool DryRun, string Policy, IReadOnlyDictionary<string, string>? Mapping, int MaxRows, string UserId);

    const string Staging = "invitee_import_staging";

    public static async Task<ImportReport> RunAsync(UnitOfWork uow, ImportFile file, Options options, PersonKeys personKeys,
        MunicipalityLookup municipalities, CancellationToken ct)
    {
        await uow.ExecuteAsync($"""
            CREATE TEMP TABLE {Staging} (
              row_no integer NOT NULL, first_name text, last_name text, email text, email_normalized text, person_key text,
              municipality_code text, role_category text, title text, phone text, tags text[], notes text
            ) ON COMMIT DROP
            """, ct: ct);

        using var rows = file.Rows().GetEnumerator();
        if (!rows.MoveNext())
            throw new ImportFileException("empty_file", "Filen är tom.", "The file is empty.");
        var headers = rows.Current.Cells.ToArray();
        var columns = ColumnMapping.Map(headers, options.Mapping);
        var byField = columns.Where(c => c.Field is not null).ToDictionary(c => c.Field!, c => c);

        var issues = new List<ImportIssue>();
        int errorCount = 0, rowCount = 0, valid = 0, invalidRows = 0;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);

        await using (var copy = await uow.Connection.BeginBinaryImportAsync(
            $"COPY {Staging} (row_no, first_name, last_name, email, email_normalized, person_key, municipality_code, role_category, title, phone, tags, notes) FROM STDIN (FORMAT BINARY)", ct))
        {
            while (rows.MoveNext())
            {
                var (row, cells) = rows.Current;
                if (cells.All(string.IsNullOrWhiteSpace)) continue; // blank lines, e.g. at the end of an Excel export
                rowCount++;
                if (rowCount > options.MaxRows) throw new ImportTooManyRowsException(options.MaxRows);

                var rowIssues = new List<ImportIssue>();
                if (cells.Count != headers.Length && !(cells.Count < headers.Length && file.Format == "xlsx"))
                {
                    rowIssues.Add(new(row, null, "row", $"Raden har {cells.Count} kolumner men rubrikraden har {headers.Length}.",
                        $"The row has {cells.Count} columns but the header row has {headers.Length}."));
                }
                else
                {
                    var clean = MapRow(row, cells, byField, municipalities, rowIssues);
                    if (clean is not null)
                    {
                        if (seen.TryGetValue(clean.EmailNormalized, out var firstRow))
                        {
                            rowIssues.Add(new(row, byField[ColumnMapping.Email].Header, "email",
                                $"E-postadressen finns redan på rad {firstRow} i filen.", $"The e-mail address is already on row {firstRow} of the file."));
                        }
                        else
                        {
                            seen[clean.EmailNormalized] = row;
                            if (errorCount == 0) await WriteAsync(copy, row, clean, personKeys, ct);
                        }
                    }
                }
                if (rowIssues.Count == 0)
                {
                    valid++;
                    continue;
                }
                invalidRows++;
                errorCount += rowIssues.Count;
                foreach (var issue in rowIssues)
                {
                    if (issues.Count < MaxReportedIssues) issues.Add(issue);
                }
            }
            await copy.CompleteAsync(ct);
        }

        if (rowCount == 0)
            throw new ImportFileException("no_rows", "Filen har bara en rubrikrad och inga personer.", "The file has a header row but no people.");

        var report = new ImportReport
        {
            DryRun = options.DryRun,
            FileName = file.FileName,
            Format = file.Format,
            Encoding = file.EncodingName,
            Delimiter = file.Delimiter switch { '\t' => "tab", null => null, var d => d.ToString() },
            Policy = options.Policy,
            Columns = columns.Select(c => new ImportColumn(c.Header, c.Field)).ToArray(),
            UnmappedColumns = columns.Where(c => c.Field is null && c.Header.Length > 0).Select(c => c.Header).ToArray(),
            Rows = rowCount,
            ValidRows = valid,
            InvalidRows = invalidRows,
            ErrorCount = errorCount,
            Errors = issues,
        };
        if (errorCount > 0) return report;

        // What the merge will do, row by row, against the tenant's list (row-level security scopes invitees).
        var fields = byField.Keys.ToHashSet();
        var differs = Differs(fields);
        var counts = await uow.QuerySingleAsync<(long Created, long Changed, long Unchanged)>($"""
            SELECT count(*) FILTER (WHERE i.id IS NULL),
                   count(*) FILTER (WHERE i.id IS NOT NULL AND {differs}),
                   count(*) FILTER (WHERE i.id IS NOT NULL AND NOT {differs})
            FROM {Staging} s LEFT JOIN invitees i ON i.email_normalized = s.email_normalized
            """, ct: ct);
        var update = options.Policy == "update";
        report = report with
        {
            Created = (int)counts.Created,
            Updated = update ? (int)counts.Changed : 0,
            Skipped = update ? 0 : (int)counts.Changed,
            Unchanged = (int)counts.Unchanged,
        };
        if (options.DryRun) return report;

        var batchId = await uow.QuerySingleAsync<Guid>("""
            INSERT INTO invitee_import_batches (tenant_id, created_by, file_name, format, encoding, delimiter, policy, row_count,
                                                created_count, updated_count, unchanged_count, skipped_count)
            VALUES (@tenantId, @UserId, @FileName, @Format, @Encoding, @Delimiter, @Policy, @Rows, @Created, @Updated, @Unchanged, @Skipped)
            RETURNING id
            """, new
        {
            tenantId = uow.RequiredTenantId, options.UserId, FileName = Truncate(report.FileName, 255), report.Format, report.Encoding,
            report.Delimiter, report.Policy, report.Rows, report.Created, report.Updated, report.Unchanged, report.Skipped,
        }, ct);

        string Set(string field, string column, string value) => fields.Contains(field) ? $"{column} = coalesce({value}, i.{column})" : "";
        var sets = new[]
        {
            fields.Contains(ColumnMapping.FirstName) || fields.Contains(ColumnMapping.FullName) ? "first_name = s.first_name, last_name = s.last_name" : "",
            "email = s.email",
            fields.Contains(ColumnMapping.Municipality) || fields.Contains(ColumnMapping.MunicipalityCode)
                ? "municipality_code = coalesce(s.municipality_code, i.municipality_code)" : "",
            Set(ColumnMapping.RoleCategory, "role_category", "s.role_category"),
            Set(ColumnMapping.Title, "title", "s.title"),
            Set(ColumnMapping.Phone, "phone", "s.phone"),
            Set(ColumnMapping.Notes, "notes", "s.notes"),
            fields.Contains(ColumnMapping.Tags) ? "tags = ARRAY(SELECT DISTINCT t FROM unnest(i.tags || s.tags) t ORDER BY 1)" : "",
        }.Where(s => s.Length > 0);

        var merged = await uow.ExecuteAsync($"""
            MERGE INTO invitees i
            USING {Staging} s ON i.email_normalized = s.email_normalized
            WHEN MATCHED AND @update AND {differs} THEN
              UPDATE SET {string.Join(", ", sets)}, import_batch_id = @batchId, updated_at = now()
            WHEN NOT MATCHED THEN
              INSERT (tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code, role_category,
                      title, phone, tags, notes, source, import_batch_id)
              VALUES (@tenantId, s.first_name, s.last_name, s.email, s.email_normalized, s.person_key, s.municipality_code,
                      coalesce(s.role_category, 'ovrig'), s.title, s.phone, coalesce(s.tags, '{"{}"}'), s.notes, 'import', @batchId)
            """, new { update, batchId, tenantId = uow.RequiredTenantId }, ct);
        if (merged != report.Created + report.Updated)
            throw new InvalidOperationException("The list changed during the import; nothing was imported. Try again.");
        return report with { Committed = true, BatchId = batchId };
    }

    /// <summary>Whether the staged row would change the existing one (only the file's columns count; empty cells keep values).</summary>
    static string Differs(HashSet<string> fields)
    {
        var parts = new List<string> { "s.email IS DISTINCT FROM i.email" };
        if (fields.Contains(ColumnMapping.FirstName) || fields.Contains(ColumnMapping.FullName))
            parts.Add("s.first_name IS DISTINCT FROM i.first_name OR s.last_name IS DISTINCT FROM i.last_name");
        if (fields.Contains(ColumnMapping.Municipality) || fields.Contains(ColumnMapping.MunicipalityCode))
            parts.Add("(s.municipality_code IS NOT NULL AND s.municipality_code IS DISTINCT FROM i.municipality_code)");
        foreach (var (field, column) in new[] { (ColumnMapping.RoleCategory, "role_category"), (ColumnMapping.Title, "title"), (ColumnMapping.Phone, "phone"), (ColumnMapping.Notes, "notes") })
        {
            if (fields.Contains(field)) parts.Add($"(s.{column} IS NOT NULL AND s.{column} IS DISTINCT FROM i.{column})");
        }
        if (fields.Contains(ColumnMapping.Tags)) parts.Add("NOT (coalesce(s.tags, '{}') <@ i.tags)");
        return "(" + string.Join(" OR ", parts) + ")";
    }

    static async Task WriteAsync(Npgsql.NpgsqlBinaryImporter copy, int row, CleanInvitee c, PersonKeys personKeys, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(row, NpgsqlDbType.Integer, ct);
        await Text(copy, c.FirstName, ct);
        await Text(copy, c.LastName, ct);
        await Text(copy, c.Email, ct);
        await Text(copy, c.EmailNormalized, ct);
        await Text(copy, personKeys.For(c.EmailNormalized), ct);
        await Text(copy, c.MunicipalityCode, ct);
        await Text(copy, c.RoleCategory, ct);
        await Text(copy, c.Title, ct);
        await Text(copy, c.Phone, ct);
        if (c.Tags.Length == 0) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(c.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await Text(copy, c.Notes, ct);
    }

    static async ValueTask Text(Npgsql.NpgsqlBinaryImporter copy, string? value, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, NpgsqlDbType.Text, ct);
    }

    /// <summary>A row of cells to a valid invitee, or null with the row's problems added.</summary>
    static CleanInvitee? MapRow(int row, IReadOnlyList<string> cells, Dictionary<string, ColumnMapping.Column> byField,
        MunicipalityLookup municipalities, List<ImportIssue> issues)
    {
        string? Cell(string field) => byField.TryGetValue(field, out var c) && c.Index < cells.Count ? Clean(cells[c.Index]) : null;
        string? Header(string field) => byField.TryGetValue(field, out var c) ? c.Header : null;

        var first = Cell(ColumnMapping.FirstName);
        var last = Cell(ColumnMapping.LastName);
        if (byField.ContainsKey(ColumnMapping.FullName) && Cell(ColumnMapping.FullName) is { } full && first is null && last is null)
            (first, last) = SplitName(full);

        // municipality: the code wins over the name; empty = the county board itself
        string? municipalityCode = null;
        var codeText = Cell(ColumnMapping.MunicipalityCode);
        var nameText = Cell(ColumnMapping.Municipality);
        var (text, field) = codeText is not null ? (codeText, ColumnMapping.MunicipalityCode) : (nameText, ColumnMapping.Municipality);
        if (text is not null && !IsCountyBoard(text))
        {
            var found = municipalities.Find(text);
            if (found is null)
                issues.Add(new(row, Header(field), "municipalityCode", $"Okänd kommun: \"{Short(text)}\".", $"Unknown municipality: \"{Short(text)}\"."));
            else if (municipalities.InCounty(found.Code) != true)
                issues.Add(new(row, Header(field), "municipalityCode", $"{found.Name} ligger inte i länet.", $"{found.Name} is not in the county."));
            else municipalityCode = found.Code;
        }

        string? role = null;
        var roleText = Cell(ColumnMapping.RoleCategory);
        if (roleText is not null && (role = RoleCategories.Parse(roleText)) is null)
            issues.Add(new(row, Header(ColumnMapping.RoleCategory), "roleCategory", $"Okänd roll: \"{Short(roleText)}\".", $"Unknown role category: \"{Short(roleText)}\"."));

        var tags = Cell(ColumnMapping.Tags)?.Split([',', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var input = new InviteeInput(first, last, Cell(ColumnMapping.Email), municipalityCode, role, Cell(ColumnMapping.Title),
            Cell(ColumnMapping.Phone), tags, Cell(ColumnMapping.Notes), null);
        var (clean, fieldIssues) = InviteeValidation.Validate(input, _ => true);
        foreach (var f in fieldIssues)
        {
            var header = f.Field switch
            {
                "firstName" => Header(ColumnMapping.FirstName) ?? Header(ColumnMapping.FullName),
                "lastName" => Header(ColumnMapping.LastName) ?? Header(ColumnMapping.FullName),
                _ => Header(f.Field),
            };
            issues.Add(new(row, header, f.Field, f.Swedish, f.English));
        }
        if (issues.Count > 0 || clean is null) return null;
        // an empty role cell means "keep" for existing invitees and "Övrig" for new ones (the merge decides)
        return clean with { RoleCategory = role! };
    }

    /// <summary>Trimmed; empty → null; the apostrophe our export puts before a formula character is taken off again.</summary>
    static string? Clean(string value)
    {
        var v = value.Trim();
        if (v.Length > 1 && v[0] == '\'' && v[1] is '=' or '+' or '-' or '@') v = v[1..];
        return v.Length == 0 ? null : v;
    }

    static bool IsCountyBoard(string text) => text.Trim().StartsWith("länsstyrelsen", StringComparison.OrdinalIgnoreCase)
                                              || text.Trim().Equals(InviteeFilter.CountyBoard, StringComparison.OrdinalIgnoreCase);

    static (string? First, string? Last) SplitName(string full)
    {
        var comma = full.IndexOf(',');
        if (comma > 0) return (full[(comma + 1)..].Trim() is { Length: > 0 } f ? f : null, full[..comma].Trim());
        var space = full.LastIndexOf(' ');
        return space > 0 ? (full[..space].Trim(), full[(space + 1)..].Trim()) : (full, null);
    }

    static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;

    static string Truncate(string s, int max) => s.Length > max ? s[..max] : s;
}
