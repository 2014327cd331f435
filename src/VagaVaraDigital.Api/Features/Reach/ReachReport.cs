using System.Globalization;

namespace VagaVaraDigital.Api.Features.Reach;

/// <summary>One row of <c>reach_county_figures</c> / <c>reach_national_figures</c> (counts only).</summary>
public sealed class FigureRow
{
    public required string Section { get; init; }
    public string? Key { get; init; }
    public string? Label { get; init; }
    public DateTime? At { get; init; }
    public long? Invited { get; init; }
    public long? Answered { get; init; }
    public long? Accepted { get; init; }
    public long? Reached { get; init; }
    public long? NoShows { get; init; }
    public long? Recent { get; init; }
    public int? Target { get; init; }
    public int? MunicipalitiesTotal { get; init; }
    public int? MunicipalitiesCovered { get; init; }
}

/// <summary>The definitions every figure follows, returned with every report (and written in docs/reach.md).</summary>
public sealed record ReachDefinitions(
    string ReachedLeader,
    string Target,
    string Funnel,
    string Coverage,
    string AttendanceRate,
    string NoShowRate,
    string Projection,
    string OverTime,
    int? AttendanceThresholdMinutes)
{
    public static ReachDefinitions For(int? thresholdMinutes, bool national) => new(
        ReachedLeader: "En nådd ledare är en unik person (samma normaliserade e-postadress, via en pseudonym personnyckel) med minst en närvaro som räknas: " +
            (thresholdMinutes is { } t ? $"minst {t} minuter (länets gräns)" : "minst länets gräns i minuter") +
            " eller en spårad anslutning via den personliga länken. Personen räknas en gång per län och en gång nationellt, " +
            "även efter flera sändningar eller om två län bjudit in samma person. Raderade personer räknas fortfarande (anonymt), " +
            "liksom personer som avregistrerat sig, för det de deltagit i.",
        Target: national
            ? "Nationellt mål: 3 000 ledare (kan ändras av systemadministratören). Länens mål kommer från länens inställningar; en person som nåtts av två län räknas i båda länens rader men en gång i totalen."
            : "Länets mål kommer från länets inställningar (reach_target).",
        Funnel: "Inbjudna: personer med minst en skickad inbjudan. Svarat: har svarat (ja, nej eller väntelista). Tackat ja: ja, deltog eller uteblev efter ja. Deltog: nådda ledare. En närvaro som räknas gör personen till inbjuden, svarande och tackat ja.",
        Coverage: national
            ? "Kommuntäckning: kommuner (av landets 290) med minst en nådd ledare."
            : "Kommuntäckning: länets kommuner med minst en nådd ledare, av länets alla kommuner.",
        AttendanceRate: "Närvarograd per sändning: deltog (närvaro som räknas) delat med inbjudna.",
        NoShowRate: "Uteblivandegrad per sändning: tackat ja utan närvaro som räknas, delat med tackat ja; visas först när sändningen är slut.",
        Projection: "Prognos: takten de senaste 4 veckorna (nådda ledare per dag under 28 dagar) förlängd tills målet nås; utan nya nådda ledare under perioden: \"inte i den här takten\".",
        OverTime: "Över tid: nya och ackumulerade nådda ledare per vecka (måndag, svensk tid) efter dagen för första sändningen som räknas, mot mållinjen. Nattliga ögonblicksbilder visar inbjudna och tackat ja över tid.",
        AttendanceThresholdMinutes: thresholdMinutes);
}

public sealed record ReachSummary(
    int Reached, int? Target, double? PercentOfTarget, int Invited, int Answered, int Accepted, int ReachedLast28Days,
    int MunicipalitiesCovered, int MunicipalitiesTotal);

/// <summary>status: <c>reached</c> (date = the day the target was reached), <c>on_pace</c> (date = forecast),
/// <c>not_at_this_pace</c> (no new reached leader in the last 28 days), <c>no_target</c>.</summary>
public sealed record ReachProjection(string Status, DateOnly? Date, double PacePerWeek, string Text);

public sealed record FunnelStep(string Step, string Label, int Count, double? PercentOfInvited);

public sealed record MunicipalityReach(string? Code, string Name, int Invited, int Accepted, int Reached, bool Covered);

public sealed record RoleCategoryReach(string Category, string Label, int Invited, int Accepted, int Reached);

public sealed record WebcastReach(Guid Id, string Title, DateTime StartsAt, int Invited, int Accepted, int Attended,
    double? AttendanceRate, int? NoShows, double? NoShowRate);

public sealed record CountyReachRow(string Id, string Name, int Target, int Reached, double? PercentOfTarget, int Invited,
    int Answered, int Accepted, int MunicipalitiesCovered, int MunicipalitiesTotal, ReachProjection Projection);

public sealed record ReachWeek(DateOnly WeekStart, int ReachedInWeek, int ReachedCumulative, int? Target);

public sealed record ReachSnapshotPoint(DateOnly Date, int Invited, int Answered, int Accepted, int Reached);

public sealed record ReachOverTime(IReadOnlyList<ReachWeek> Weeks, IReadOnlyList<ReachSnapshotPoint> Snapshots);

/// <summary>A county's reach report (version 1). A MunicipalUser gets it for their municipality only.</summary>
public sealed record CountyReachReport(
    int Version, string CountyId, string CountyName, string? Municipality, DateTime GeneratedAt,
    ReachDefinitions Definitions, ReachSummary Summary, ReachProjection Projection, IReadOnlyList<FunnelStep> Funnel,
    IReadOnlyList<MunicipalityReach> Municipalities, IReadOnlyList<RoleCategoryReach> RoleCategories,
    IReadOnlyList<WebcastReach> Webcasts, ReachOverTime OverTime);

/// <summary>The national reach report (version 1): aggregates only, no personal data.</summary>
public sealed record NationalReachReport(
    int Version, DateTime GeneratedAt, ReachDefinitions Definitions, ReachSummary Summary, ReachProjection Projection,
    IReadOnlyList<FunnelStep> Funnel, IReadOnlyList<CountyReachRow> Counties, IReadOnlyList<MunicipalityReach> Municipalities,
    IReadOnlyList<RoleCategoryReach> RoleCategories, ReachOverTime OverTime);

/// <summary>Turns figure rows into reports: percentages, projection, weeks. Pure, so it is unit-tested by hand.</summary>
public static class ReachCalculations
{
    public const int Version = 1;
    static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    public static readonly IReadOnlyDictionary<string, string> RoleLabels = new Dictionary<string, string>
    {
        ["fortroendevald"] = "Förtroendevalda",
        ["kommunledning"] = "Kommunledning (ledande tjänstemän)",
        ["forvaltningschef"] = "Förvaltningschefer",
        ["lansstyrelsens_ledning"] = "Länsstyrelsens ledning",
        ["ovrig"] = "Övriga",
    };

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Stockholm).DateTime);

    public static double? Percent(long part, long? whole) =>
        whole is > 0 ? Math.Round(100.0 * part / whole.Value, 1, MidpointRounding.AwayFromZero) : null;

    /// <summary>
    /// At the pace of the last 28 days (<paramref name="recent"/> newly reached), when is <paramref name="target"/> reached?
    /// Already reached: the day the cumulative count got there (from <paramref name="days"/>).
    /// </summary>
    public static ReachProjection Project(int reached, int? target, int recent, DateOnly today, IReadOnlyList<(DateOnly Day, int Count)> days)
    {
        var pacePerWeek = Math.Round(recent / 4.0, 2);
        if (target is not { } t || t <= 0) return new ReachProjection("no_target", null, pacePerWeek, "Inget mål att jämföra med.");
        if (reached >= t)
        {
            var cumulative = 0;
            DateOnly? on = null;
            foreach (var (day, count) in days.OrderBy(d => d.Day))
            {
                cumulative += count;
                if (cumulative >= t) { on = day; break; }
            }
            return new ReachProjection("reached", on, pacePerWeek,
                on is { } d ? $"Målet nåddes {d:yyyy-MM-dd}." : "Målet är nått.");
        }
        if (recent <= 0) return new ReachProjection("not_at_this_pace", null, 0, "Målet nås inte i den här takten.");
        var days28 = (double)(t - reached) * 28 / recent;
        var date = today.AddDays((int)Math.Ceiling(days28 - 1e-9));
        return new ReachProjection("on_pace", date, pacePerWeek,
            $"I takten från de senaste fyra veckorna nås målet {date:yyyy-MM-dd}.");
    }

    /// <summary>Weekly (Monday) new and cumulative reached leaders, from the first week with a reached leader to this week.</summary>
    public static IReadOnlyList<ReachWeek> Weeks(IReadOnlyList<(DateOnly Day, int Count)> days, int? target, DateOnly today)
    {
        if (days.Count == 0) return [];
        var byWeek = days.GroupBy(d => WeekStart(d.Day)).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        var first = byWeek.Keys.Min();
        var last = new[] { byWeek.Keys.Max(), WeekStart(today) }.Max();
        var weeks = new List<ReachWeek>();
        var cumulative = 0;
        for (var w = first; w <= last; w = w.AddDays(7))
        {
            var n = byWeek.GetValueOrDefault(w);
            cumulative += n;
            weeks.Add(new ReachWeek(w, n, cumulative, target));
        }
        return weeks;
    }

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static IReadOnlyList<(DateOnly Day, int Count)> Days(IEnumerable<FigureRow> rows) => rows
        .Where(r => r.Section == "day" && r.Key is not null)
        .Select(r => (ParseDay(r.Key!), (int)(r.Reached ?? 0)))
        .OrderBy(d => d.Item1).ToArray();

    /// <summary>"yyyy-MM-dd" from the figures; parsed by hand, as ParseExact's culture machinery showed up in the profile
    /// of the national report (one day row per day with a newly reached leader).</summary>
    static DateOnly ParseDay(string key) => key.Length == 10 && key[4] == '-' && key[7] == '-'
        ? new DateOnly(int.Parse(key.AsSpan(0, 4), CultureInfo.InvariantCulture), int.Parse(key.AsSpan(5, 2), CultureInfo.InvariantCulture),
            int.Parse(key.AsSpan(8, 2), CultureInfo.InvariantCulture))
        : DateOnly.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static IReadOnlyList<FunnelStep> Funnel(FigureRow total)
    {
        int invited = (int)(total.Invited ?? 0);
        return
        [
            new("invited", "Inbjudna", invited, invited > 0 ? 100.0 : null),
            new("answered", "Svarat", (int)(total.Answered ?? 0), Percent(total.Answered ?? 0, invited)),
            new("accepted", "Tackat ja", (int)(total.Accepted ?? 0), Percent(total.Accepted ?? 0, invited)),
            new("attended", "Deltog (nådda)", (int)(total.Reached ?? 0), Percent(total.Reached ?? 0, invited)),
        ];
    }

    public static IReadOnlyList<RoleCategoryReach> Roles(IEnumerable<FigureRow> rows)
    {
        var byKey = rows.Where(r => r.Section == "role").ToDictionary(r => r.Key ?? "");
        return RoleLabels.Select(kv =>
        {
            var r = byKey.GetValueOrDefault(kv.Key);
            return new RoleCategoryReach(kv.Key, kv.Value, (int)(r?.Invited ?? 0), (int)(r?.Accepted ?? 0), (int)(r?.Reached ?? 0));
        }).ToArray();
    }

    public static ReachSummary Summary(FigureRow total) => new(
        Reached: (int)(total.Reached ?? 0),
        Target: total.Target,
        PercentOfTarget: Percent(total.Reached ?? 0, total.Target),
        Invited: (int)(total.Invited ?? 0),
        Answered: (int)(total.Answered ?? 0),
        Accepted: (int)(total.Accepted ?? 0),
        ReachedLast28Days: (int)(total.Recent ?? 0),
        MunicipalitiesCovered: total.MunicipalitiesCovered ?? 0,
        MunicipalitiesTotal: total.MunicipalitiesTotal ?? 0);
}
