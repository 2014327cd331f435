using System.Globalization;
using System.Text;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace VagaVaraDigital.Api.Features.Reach;

/// <summary>
/// Every report as tables, and the tables as CSV (UTF-8 with BOM, semicolon, Swedish decimal comma — what Excel in
/// Swedish opens directly) or XLSX (MiniExcel, one sheet per table). Only the report's aggregates are exported.
/// </summary>
public static class ReachExport
{
    public sealed record Table(string Name, string[] Headers, IReadOnlyList<object?[]> Rows);

    static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    public static IReadOnlyList<Table> Tables(CountyReachReport r) =>
    [
        SummaryTable(r.Summary, r.Projection, r.GeneratedAt, [("Län", r.CountyName), ("Kommun", r.Municipality ?? "")]),
        FunnelTable(r.Funnel),
        MunicipalityTable(r.Municipalities),
        RoleTable(r.RoleCategories),
        new("Sändningar", ["Sändning", "Start (UTC)", "Inbjudna", "Tackat ja", "Deltog", "Närvarograd %", "Uteblev", "Uteblivandegrad %"],
            r.Webcasts.Select(w => new object?[] { w.Title, w.StartsAt, w.Invited, w.Accepted, w.Attended, w.AttendanceRate, w.NoShows, w.NoShowRate }).ToArray()),
        WeekTable(r.OverTime),
        SnapshotTable(r.OverTime),
    ];

    public static IReadOnlyList<Table> Tables(NationalReachReport r) =>
    [
        SummaryTable(r.Summary, r.Projection, r.GeneratedAt, [("Omfattning", "Nationellt")]),
        FunnelTable(r.Funnel),
        new("Län", ["Länskod", "Län", "Mål", "Nådda", "Andel av målet %", "Inbjudna", "Svarat", "Tackat ja", "Kommuner med nådda", "Kommuner", "Prognos"],
            r.Counties.Select(c => new object?[] { c.Id, c.Name, c.Target, c.Reached, c.PercentOfTarget, c.Invited, c.Answered, c.Accepted,
                c.MunicipalitiesCovered, c.MunicipalitiesTotal, c.Projection.Text }).ToArray()),
        MunicipalityTable(r.Municipalities),
        RoleTable(r.RoleCategories),
        WeekTable(r.OverTime),
        SnapshotTable(r.OverTime),
    ];

    static Table SummaryTable(ReachSummary s, ReachProjection p, DateTime generatedAt, (string, string)[] scope) => new(
        "Sammanfattning", ["Uppgift", "Värde"],
        scope.Select(x => new object?[] { x.Item1, x.Item2 }).Concat(
        [
            ["Nådda ledare", s.Reached],
            ["Mål", s.Target],
            ["Andel av målet %", s.PercentOfTarget],
            ["Inbjudna", s.Invited],
            ["Svarat", s.Answered],
            ["Tackat ja", s.Accepted],
            ["Nådda senaste 28 dagarna", s.ReachedLast28Days],
            ["Kommuner med nådda ledare", s.MunicipalitiesCovered],
            ["Kommuner totalt", s.MunicipalitiesTotal],
            ["Prognos", p.Text],
            ["Beräknad (UTC)", generatedAt],
        ]).ToArray());

    static Table FunnelTable(IReadOnlyList<FunnelStep> funnel) => new("Tratt", ["Steg", "Antal", "Andel av inbjudna %"],
        funnel.Select(f => new object?[] { f.Label, f.Count, f.PercentOfInvited }).ToArray());

    static Table MunicipalityTable(IReadOnlyList<MunicipalityReach> lines) => new("Kommuner",
        ["Kommunkod", "Kommun", "Inbjudna", "Tackat ja", "Nådda", "Täckt"],
        lines.Select(m => new object?[] { m.Code ?? "", m.Name, m.Invited, m.Accepted, m.Reached, m.Covered ? "ja" : "nej" }).ToArray());

    static Table RoleTable(IReadOnlyList<RoleCategoryReach> roles) => new("Rollkategorier",
        ["Kategori", "Benämning", "Inbjudna", "Tackat ja", "Nådda"],
        roles.Select(x => new object?[] { x.Category, x.Label, x.Invited, x.Accepted, x.Reached }).ToArray());

    static Table WeekTable(ReachOverTime t) => new("Veckor", ["Vecka (måndag)", "Nya nådda", "Nådda totalt", "Mål"],
        t.Weeks.Select(w => new object?[] { w.WeekStart, w.ReachedInWeek, w.ReachedCumulative, w.Target }).ToArray());

    static Table SnapshotTable(ReachOverTime t) => new("Ögonblicksbilder", ["Datum", "Inbjudna", "Svarat", "Tackat ja", "Nådda"],
        t.Snapshots.Select(s => new object?[] { s.Date, s.Invited, s.Answered, s.Accepted, s.Reached }).ToArray());

    /// <summary>One table, or all of them one after another (each under a line with its name).</summary>
    public static byte[] Csv(IReadOnlyList<Table> tables)
    {
        var sb = new StringBuilder();
        foreach (var table in tables)
        {
            if (tables.Count > 1)
            {
                if (sb.Length > 0) sb.Append("\r\n");
                sb.Append(Field(table.Name)).Append("\r\n");
            }
            sb.AppendJoin(';', table.Headers.Select(Field)).Append("\r\n");
            foreach (var row in table.Rows) sb.AppendJoin(';', row.Select(v => Field(Format(v)))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    public static byte[] Xlsx(IReadOnlyList<Table> tables)
    {
        var sheets = new Dictionary<string, object>();
        foreach (var table in tables)
        {
            sheets[table.Name] = table.Rows.Select(row =>
            {
                var d = new Dictionary<string, object>();
                for (var i = 0; i < table.Headers.Length; i++) d[table.Headers[i]] = XlsxValue(row[i]);
                return d;
            }).ToList();
        }
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheets, excelType: MiniExcelLibs.ExcelType.XLSX);
        return stream.ToArray();
    }

    static object XlsxValue(object? v) => v switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        _ => v,
    };

    static string Format(object? v) => v switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        double x => x.ToString("0.0", Swedish),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        // Text that a spreadsheet would run as a formula (a webcast title "=…") is kept as text.
        string s when s.Length > 0 && "=+-@\t\r".Contains(s[0]) => "'" + s,
        _ => v.ToString() ?? "",
    };

    static string Field(string s) =>
        s.IndexOfAny([';', '"', '\r', '\n']) >= 0 || s.StartsWith(' ') || s.EndsWith(' ')
            ? "\"" + s.Replace("\"", "\"\"") + "\""
            : s;

    /// <summary>Tables by name for <c>?table=</c> (case-insensitive); null = all.</summary>
    public static IReadOnlyList<Table>? Select(IReadOnlyList<Table> tables, string? name) =>
        string.IsNullOrWhiteSpace(name) ? tables
        : tables.Where(t => string.Equals(Slug(t.Name), Slug(name), StringComparison.Ordinal)).ToArray() is { Length: > 0 } found ? found
        : null;

    public static string Slug(string name) => name.ToLowerInvariant().Replace('å', 'a').Replace('ä', 'a').Replace('ö', 'o');
}
