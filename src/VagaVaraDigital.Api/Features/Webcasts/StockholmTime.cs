using System.Globalization;

namespace VagaVaraDigital.Api.Features.Webcasts;

/// <summary>
/// Start times are entered and shown in Europe/Stockholm and stored in UTC (ADR 0040):
/// a wall-clock time in the spring-forward gap (last Sunday of March, 02:00–02:59) does not exist and is
/// rejected; a wall-clock time in the autumn fold (last Sunday of October, 02:00–02:59 happens twice) is
/// the first occurrence (summer time, +02:00) unless the caller names the offset (+01:00 picks the second).
/// </summary>
public static class StockholmTime
{
    public const string ZoneId = "Europe/Stockholm";
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(ZoneId);

    public enum Outcome { Ok, Malformed, InGap, OffsetMismatch }

    public readonly record struct Parsed(Outcome Outcome, DateTime Utc, bool WasAmbiguous);

    /// <summary>
    /// Parses "yyyy-MM-ddTHH:mm[:ss]" (Stockholm wall clock) or the same with an offset ("+01:00", "+02:00",
    /// "Z"). With an offset the instant is exact, but it must be the offset Stockholm has at that instant
    /// (so the wall clock the person typed is what everyone sees).
    /// </summary>
    public static Parsed Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return new(Outcome.Malformed, default, false);
        var s = input.Trim();
        string[] local = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(s, local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            return FromWallClock(wall);
        }
        string[] withOffset = ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
            "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];
        if (DateTimeOffset.TryParseExact(s, withOffset, CultureInfo.InvariantCulture,
                s.EndsWith('Z') ? DateTimeStyles.AssumeUniversal : DateTimeStyles.None, out var exact))
        {
            var utc = exact.UtcDateTime;
            if (s.EndsWith('Z')) return new(Outcome.Ok, Truncate(utc), false);
            var expected = Zone.GetUtcOffset(utc);
            if (expected != exact.Offset)
            {
                // Either a time in the gap written with either offset, or simply a wrong offset.
                var wallTyped = exact.DateTime;
                return new(Zone.IsInvalidTime(wallTyped) ? Outcome.InGap : Outcome.OffsetMismatch, default, false);
            }
            return new(Outcome.Ok, Truncate(utc), Zone.IsAmbiguousTime(exact.DateTime));
        }
        return new(Outcome.Malformed, default, false);
    }

    /// <summary>A Stockholm wall-clock time to UTC: gap → <see cref="Outcome.InGap"/>; fold → the first (summer-time) occurrence.</summary>
    public static Parsed FromWallClock(DateTime wall)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(wall)) return new(Outcome.InGap, default, false);
        if (Zone.IsAmbiguousTime(wall))
        {
            var offsets = Zone.GetAmbiguousTimeOffsets(wall);
            var summer = offsets.Max(); // +02:00 comes first in the night
            return new(Outcome.Ok, Truncate(new DateTimeOffset(wall, summer).UtcDateTime), true);
        }
        return new(Outcome.Ok, Truncate(TimeZoneInfo.ConvertTimeToUtc(wall, Zone)), false);
    }

    public static DateTimeOffset ToLocal(DateTime utc)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return TimeZoneInfo.ConvertTime(new DateTimeOffset(utc), Zone);
    }

    /// <summary>"2026-10-25T02:30:00+02:00": the wall clock with its offset, unambiguous.</summary>
    public static string ToLocalIso(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    static readonly CultureInfo Sv = CultureInfo.GetCultureInfo("sv-SE");
    static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"söndag 29 mars 2026 kl. 10:00" (with "(normaltid)"/"(sommartid)" only in the ambiguous hour).</summary>
    public static string FormatSwedish(DateTime utc)
    {
        var local = ToLocal(utc);
        var text = local.ToString("dddd d MMMM yyyy 'kl.' HH:mm", Sv);
        return Zone.IsAmbiguousTime(local.DateTime) ? text + (local.Offset == TimeSpan.FromHours(2) ? " (sommartid)" : " (normaltid)") : text;
    }

    public static string FormatEnglish(DateTime utc)
    {
        var local = ToLocal(utc);
        var text = local.ToString("dddd d MMMM yyyy 'at' HH:mm", En) + " (Swedish time)";
        return Zone.IsAmbiguousTime(local.DateTime) ? text.Replace("(Swedish time)", $"(Swedish time, UTC{local:zzz})") : text;
    }

    public static string FormatTime(DateTime utc) => ToLocal(utc).ToString("HH:mm", Sv);

    static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
