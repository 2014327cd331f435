using System.Globalization;
using System.Text;
using Dapper;
using MiniExcelLibs;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// Export of the (filtered) list: CSV as Swedish Excel opens it (UTF-8 with BOM, <c>;</c>, CRLF) or XLSX. Every
/// cell that a spreadsheet could take for a formula (starting with = + - @, tab or CR) gets a leading
/// apostrophe (OWASP "CSV injection"); the import takes it off again.
/// </summary>
public static class InviteeExport
{
    public static readonly string[] Headers =
    [
        "Förnamn", "Efternamn", "E-post", "Kommunkod", "Kommun", "Roll", "Titel", "Telefon", "Taggar", "Anteckningar",
        "Status", "Källa", "Nominerad av", "Ej längre i tjänst", "Skapad", "Uppdaterad",
    ];

    static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    /// <summary>Neutralises a cell against formula injection.</summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }

    static string Status(string s) => s switch { "active" => "Aktiv", "opted_out" => "Avböjt e-post", "erased" => "Raderad", _ => s };
    static string Source(string s) => s switch { "manual" => "Manuell", "import" => "Import", "nomination" => "Nominering", _ => s };
    static string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Stockholm)
        .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    static string[] Cells(Invitee i) =>
    [
        i.FirstName ?? "", i.LastName ?? "", i.Email ?? "", i.MunicipalityCode ?? "", i.MunicipalityName ?? "Länsstyrelsen",
        RoleCategories.Swedish(i.RoleCategory), i.Title ?? "", i.Phone ?? "", string.Join(", ", i.Tags), i.Notes ?? "",
        Status(i.Status), Source(i.Source), i.NominatedByName ?? (i.NominatedBy is null ? "" : "En kommunanvändare"), i.NoLongerInOffice ? "Ja" : "", Local(i.CreatedAt), Local(i.UpdatedAt),
    ];

    /// <summary>
    /// "Nominerad av": the nominator's display name from the county's own accounts (never an id or an address; the export is
    /// county staff's, like the name in the API, InviteesApi.ShowNominatorsAsync). "AspNetUsers" is global (ADR 0011): the
    /// tenant is a column, checked in the join.
    /// </summary>
    const string NominatorName = "nu.\"DisplayName\" AS NominatedByName";
    const string NominatorJoin = "LEFT JOIN \"AspNetUsers\" nu ON nu.\"Id\" = i.nominated_by AND nu.\"TenantId\" = i.tenant_id";

    /// <summary>The rows of the filter, unbuffered, in Swedish name order.</summary>
    static IAsyncEnumerable<Invitee> Query(UnitOfWork uow, InviteeFilter filter)
    {
        var p = new DynamicParameters();
        var where = filter.ToSql("i", p);
        return uow.Connection.QueryUnbufferedAsync<Invitee>($"""
            SELECT {Invitee.Columns}, {NominatorName} FROM {Invitee.From} {NominatorJoin} WHERE {where}
            ORDER BY coalesce(i.last_name, '') COLLATE sv_icu, coalesce(i.first_name, '') COLLATE sv_icu, i.id
            """, p, uow.Transaction);
    }

    /// <summary>Writes CSV to <paramref name="output"/>; returns the number of invitees.</summary>
    public static async Task<int> WriteCsvAsync(UnitOfWork uow, InviteeFilter filter, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 65536, leaveOpen: true)
        { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(';', Headers.Select(Quote)));
        var count = 0;
        await foreach (var invitee in Query(uow, filter).WithCancellation(ct))
        {
            await writer.WriteLineAsync(string.Join(';', Cells(invitee).Select(c => Quote(Neutralise(c)))));
            count++;
        }
        await writer.FlushAsync(ct);
        return count;
    }

    static string Quote(string s) => s.IndexOfAny([';', '"', '\r', '\n', ',']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Writes XLSX to a file (MiniExcel needs a seekable stream), streaming the rows; returns the number of invitees.</summary>
    public static async Task<int> WriteXlsxAsync(UnitOfWork uow, InviteeFilter filter, string path, CancellationToken ct)
    {
        var p = new DynamicParameters();
        var where = filter.ToSql("i", p);
        var count = 0;
        // MiniExcel pulls rows from an IEnumerable: read unbuffered (synchronously) from the open transaction
        var rows = uow.Connection.Query<Invitee>($"""
            SELECT {Invitee.Columns}, {NominatorName} FROM {Invitee.From} {NominatorJoin} WHERE {where}
            ORDER BY coalesce(i.last_name, '') COLLATE sv_icu, coalesce(i.first_name, '') COLLATE sv_icu, i.id
            """, p, uow.Transaction, buffered: false)
            .Select(invitee =>
            {
                count++;
                var cells = Cells(invitee);
                var row = new Dictionary<string, object>(Headers.Length);
                for (var k = 0; k < Headers.Length; k++) row[Headers[k]] = Neutralise(cells[k]);
                return row;
            });
        await Task.Run(() => MiniExcel.SaveAs(path, rows, excelType: ExcelType.XLSX, overwriteFile: true), ct);
        return count;
    }
}
