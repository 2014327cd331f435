using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VagaVaraDigital.Api.Features.Attendance;

/// <summary>A report the import cannot read; the message is Swedish and says what is wrong (nothing is imported).</summary>
public sealed class ReportFormatException(string message) : Exception(message);

/// <summary>One person in a report: join sessions of the same e-mail (or, without e-mail, the same name) summed.</summary>
public sealed record ReportRow(string Key, string Name, string? Email, int Minutes, int Sessions, DateTime? FirstJoin);

public sealed record ParsedReport(string Source, IReadOnlyList<ReportRow> Rows, int IgnoredRows);

/// <summary>
/// Parsers for the two platform reports (ADR 0046). Teams: the meeting attendance export — UTF-16LE,
/// tab-separated, sections "1. Summary", "2. Participants", "3. In-Meeting Activities" (titles and column names
/// in English or Swedish); minutes come from "In-Meeting Duration" of the Participants section.
/// Zoom: the webinar attendee report — CSV with a header block, then "Host Details", "Panelist Details" and
/// "Attendee Details"; one row per join session, summed per e-mail; hosts and panelists are not attendees.
/// </summary>
public static partial class AttendanceReports
{
    public const int MaxBytes = 10 * 1024 * 1024;

    public static ParsedReport Parse(byte[] content, string? format = null)
    {
        if (content.Length == 0) throw new ReportFormatException("Filen är tom.");
        if (content.Length > MaxBytes) throw new ReportFormatException("Filen är för stor (högst 10 MB).");
        var text = Decode(content);
        var kind = format?.Trim().ToLowerInvariant() switch
        {
            "teams" => "teams",
            "zoom" => "zoom",
            _ => text.Contains("Attendee Details", StringComparison.OrdinalIgnoreCase) ? "zoom"
                : SectionLine().IsMatch(text) && text.Contains('\t') ? "teams" : null,
        };
        return kind switch
        {
            "teams" => ParseTeams(text),
            "zoom" => ParseZoom(text),
            _ => throw new ReportFormatException(
                "Filen känns inte igen som en närvarorapport från Microsoft Teams (avsnitten \"1. Sammanfattning\", \"2. Deltagare\") " +
                "eller en deltagarrapport för Zoom-webbinarier (\"Attendee Details\")."),
        };
    }

    static string Decode(byte[] b)
    {
        if (b.Length >= 2 && b[0] == 0xFF && b[1] == 0xFE) return Encoding.Unicode.GetString(b, 2, b.Length - 2);
        if (b.Length >= 2 && b[0] == 0xFE && b[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(b, 2, b.Length - 2);
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return Encoding.UTF8.GetString(b, 3, b.Length - 3);
        // UTF-16LE without a byte order mark: every other byte of ASCII text is zero.
        var sample = Math.Min(b.Length, 400);
        var oddZeros = 0;
        for (var i = 1; i < sample; i += 2) if (b[i] == 0) oddZeros++;
        if (sample > 8 && oddZeros > sample / 4) return Encoding.Unicode.GetString(b);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(b);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(b);
        }
    }

    // ------------------------------------------------------------------ Teams

    [GeneratedRegex(@"^\s*([1-9])\.\s*\S", RegexOptions.Multiline)]
    private static partial Regex SectionLine();

    static readonly string[] NameColumns = ["name", "namn", "full name", "fullständigt namn"];
    static readonly string[] EmailColumns = ["email", "e-mail", "e-post", "e-postadress", "email address"];
    static readonly string[] UpnColumns = ["participant id (upn)", "deltagar-id (upn)", "upn"];
    static readonly string[] DurationColumns = ["in-meeting duration", "varaktighet i mötet", "tid i mötet", "duration", "varaktighet", "mötestid"];
    static readonly string[] RoleColumns = ["role", "roll"];
    static readonly string[] FirstJoinColumns = ["first join", "första anslutning", "join time", "anslutningstid"];
    static readonly string[] OrganizerRoles = ["organizer", "organisatör", "arrangör", "organisatör/arrangör"];

    static ParsedReport ParseTeams(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        // Section "2." (Participants / Deltagare) whatever the language of its title.
        var start = Array.FindIndex(lines, l => ParticipantsTitle().IsMatch(l.Split('\t')[0]));
        if (start < 0)
            throw new ReportFormatException("Avsnittet \"2. Deltagare\" (\"2. Participants\") saknas i Teams-rapporten. " +
                "Ladda ned närvarorapporten från mötet i Teams och försök igen.");
        var headerIndex = start + 1;
        while (headerIndex < lines.Length && string.IsNullOrWhiteSpace(lines[headerIndex])) headerIndex++;
        if (headerIndex >= lines.Length) throw new ReportFormatException("Avsnittet \"2. Deltagare\" har inga kolumnrubriker.");
        var header = lines[headerIndex].Split('\t').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToArray();
        int Col(string[] names) => Array.FindIndex(header, h => names.Contains(h));
        var (name, email, upn, duration, role, firstJoin) =
            (Col(NameColumns), Col(EmailColumns), Col(UpnColumns), Col(DurationColumns), Col(RoleColumns), Col(FirstJoinColumns));
        if (name < 0 || duration < 0 || (email < 0 && upn < 0))
            throw new ReportFormatException("Avsnittet \"2. Deltagare\" saknar kolumnerna Namn, E-post och Varaktighet i mötet " +
                "(Name, Email, In-Meeting Duration).");

        var sessions = new List<(string Name, string? Email, int Seconds, DateTime? Join)>();
        var ignored = 0;
        for (var i = headerIndex + 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line)) break;
            if (SectionLine().IsMatch(line.Split('\t')[0]) && line.Split('\t').Length <= 2) break;
            var cells = line.Split('\t').Select(c => c.Trim().Trim('"')).ToArray();
            string Cell(int c) => c >= 0 && c < cells.Length ? cells[c] : "";
            if (role >= 0 && OrganizerRoles.Contains(Cell(role).ToLowerInvariant())) { ignored++; continue; }
            var seconds = ParseDuration(Cell(duration))
                ?? throw new ReportFormatException($"Rad {i + 1}: tiden \"{Cell(duration)}\" i kolumnen Varaktighet i mötet går inte att läsa.");
            var mail = Cell(email).Contains('@') ? Cell(email) : Cell(upn).Contains('@') ? Cell(upn) : null;
            var who = Cell(name);
            if (who.Length == 0 && mail is null) { ignored++; continue; }
            sessions.Add((who, mail, seconds, ParseTime(Cell(firstJoin))));
        }
        return new ParsedReport("teams", Aggregate(sessions.Select(s => (s.Name, s.Email, Minutes: s.Seconds, s.Join)), seconds: true), ignored);
    }

    [GeneratedRegex(@"^\s*2\.\s*(participants|deltagare|teilnehmer|participants?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ParticipantsTitle();

    [GeneratedRegex(@"(\d+)\s*(h|tim|timmar|timme|t)\b|(\d+)\s*(m|min|minuter|minut)\b|(\d+)\s*(s|sek|sekunder|sekund)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPart();

    /// <summary>"1h 2m 3s", "45m 10s", "30s", "1 tim 5 min", or "01:02:03".</summary>
    internal static int? ParseDuration(string value)
    {
        var v = value.Trim();
        if (v.Length == 0) return null;
        if (TimeSpan.TryParseExact(v, [@"h\:mm\:ss", @"hh\:mm\:ss", @"m\:ss"], CultureInfo.InvariantCulture, out var ts)) return (int)ts.TotalSeconds;
        var matches = DurationPart().Matches(v);
        if (matches.Count == 0) return null;
        var total = 0;
        foreach (Match m in matches)
        {
            if (m.Groups[1].Success) total += int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 3600;
            else if (m.Groups[3].Success) total += int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * 60;
            else if (m.Groups[5].Success) total += int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture);
        }
        return total;
    }

    static DateTime? ParseTime(string value) =>
        DateTime.TryParse(value, CultureInfo.GetCultureInfo("en-US"), DateTimeStyles.AllowWhiteSpaces, out var d) ? d
        : DateTime.TryParse(value, CultureInfo.GetCultureInfo("sv-SE"), DateTimeStyles.AllowWhiteSpaces, out d) ? d : null;

    // ------------------------------------------------------------------ Zoom

    static ParsedReport ParseZoom(string text)
    {
        string? section = null;
        string[]? header = null;
        var sessions = new List<(string Name, string? Email, int Minutes, DateTime? Join)>();
        var ignored = 0;
        var sawAttendees = false;
        var rowNumber = 0;
        {
            foreach (var record in CsvRecords(text))
            {
                rowNumber++;
                if (record.Length == 0 || record.All(string.IsNullOrWhiteSpace)) continue;
                var first = record[0].Trim();
                if (first.EndsWith("Details", StringComparison.OrdinalIgnoreCase) && record.Skip(1).All(string.IsNullOrWhiteSpace))
                {
                    section = first.ToLowerInvariant();
                    header = null;
                    if (section == "attendee details") sawAttendees = true;
                    continue;
                }
                if (section != "attendee details") continue;   // header block, hosts and panelists are not attendees
                if (header is null)
                {
                    header = record.Select(h => h.Trim().ToLowerInvariant()).ToArray();
                    continue;
                }
                int Col(params string[] names) => Array.FindIndex(header, h => names.Contains(h));
                var (attended, user, firstName, lastName, email, join, minutes) = (Col("attended"),
                    Col("user name (original name)", "user name"), Col("first name"), Col("last name"), Col("email"), Col("join time"),
                    Col("time in session (minutes)"));
                if (minutes < 0 || (email < 0 && user < 0))
                    throw new ReportFormatException("Avsnittet \"Attendee Details\" saknar kolumnerna Email och Time in Session (minutes).");
                string Cell(int c) => c >= 0 && c < record.Length ? record[c].Trim() : "";
                if (attended >= 0 && Cell(attended).Equals("No", StringComparison.OrdinalIgnoreCase)) { ignored++; continue; }
                if (!int.TryParse(Cell(minutes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) || m < 0)
                    throw new ReportFormatException($"Rad {rowNumber}: \"{Cell(minutes)}\" i kolumnen Time in Session (minutes) är inte ett antal minuter.");
                var name = Cell(user).Length > 0 ? Cell(user) : $"{Cell(firstName)} {Cell(lastName)}".Trim();
                var mail = Cell(email).Contains('@') ? Cell(email) : null;
                if (name.Length == 0 && mail is null) { ignored++; continue; }
                sessions.Add((name, mail, m, ParseTime(Cell(join))));
            }
        }
        if (!sawAttendees) throw new ReportFormatException("Avsnittet \"Attendee Details\" saknas i Zoom-rapporten.");
        if (header is null && sessions.Count == 0 && ignored == 0) { /* no attendees at all: a valid, empty report */ }
        return new ParsedReport("zoom", Aggregate(sessions, seconds: false), ignored);
    }

    /// <summary>RFC 4180 records: commas, double quotes ("" inside quotes), line breaks inside quotes.</summary>
    internal static IEnumerable<string[]> CsvRecords(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: quoted = true; any = true; break;
                case ',': fields.Add(field.ToString().Trim()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString().Trim()); field.Clear();
                    yield return fields.ToArray();
                    fields.Clear(); any = false;
                    break;
                default: field.Append(c); any = true; break;
            }
        }
        if (quoted) throw new ReportFormatException("Zoom-rapporten går inte att läsa som CSV: ett citattecken avslutas aldrig.");
        if (any || field.Length > 0) { fields.Add(field.ToString().Trim()); yield return fields.ToArray(); }
    }

    // ------------------------------------------------------------------ common

    /// <summary>Sums the sessions of one person: same e-mail (case-insensitive), or — without e-mail — same name.</summary>
    static List<ReportRow> Aggregate(IEnumerable<(string Name, string? Email, int Minutes, DateTime? Join)> sessions, bool seconds) =>
        sessions.GroupBy(s => s.Email is { } e ? "email:" + e.Trim().ToLowerInvariant() : "name:" + s.Name.Trim().ToLowerInvariant())
            .Select(g => new ReportRow(g.Key, g.First().Name, g.First().Email?.Trim(),
                seconds ? g.Sum(s => s.Minutes) / 60 : g.Sum(s => s.Minutes), g.Count(), g.Min(s => s.Join)))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
}
