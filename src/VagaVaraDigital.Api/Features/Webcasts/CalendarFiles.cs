using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace VagaVaraDigital.Api.Features.Webcasts;

/// <summary>
/// iCalendar files with Ical.Net (ADR 0042): one VEVENT per invitation with a stable UID
/// (<c>invitation-{id}@vagavaradigital.se</c>), <c>SEQUENCE</c> = the webcast's schedule_version (raised on
/// every reschedule and on cancellation), <c>METHOD:CANCEL</c> + <c>STATUS:CANCELLED</c> when cancelled, start
/// and end in Europe/Stockholm with its VTIMEZONE. The tenant feed has one VEVENT per webcast.
/// </summary>
public static class CalendarFiles
{
    public const string ContentType = "text/calendar; charset=utf-8";
    const string ProductId = "-//Våga vara digital//Webbsändningar//SV";

    public sealed record EventData(
        string Uid,
        string Title,
        string Description,
        DateTime StartsAtUtc,
        int DurationMinutes,
        int Sequence,
        bool Cancelled,
        string? Url,
        string? Location);

    public static string InvitationUid(Guid invitationId) => $"invitation-{invitationId}@vagavaradigital.se";
    public static string WebcastUid(Guid webcastId) => $"webcast-{webcastId}@vagavaradigital.se";

    /// <summary>A personal file: METHOD:PUBLISH (download, confirmation) or METHOD:CANCEL when cancelled.</summary>
    public static string Single(EventData e, DateTime nowUtc, string? calendarName = null) =>
        Serialize([e], e.Cancelled ? "CANCEL" : "PUBLISH", calendarName, nowUtc);

    /// <summary>The tenant's subscribable feed (METHOD:PUBLISH, cancelled ones kept with STATUS:CANCELLED).</summary>
    public static string Feed(IEnumerable<EventData> events, DateTime nowUtc, string calendarName) =>
        Serialize(events, "PUBLISH", calendarName, nowUtc);

    static string Serialize(IEnumerable<EventData> events, string method, string? calendarName, DateTime nowUtc)
    {
        var calendar = new Calendar { ProductId = ProductId, Method = method };
        calendar.AddTimeZone(new VTimeZone(StockholmTime.ZoneId));
        if (calendarName is not null)
        {
            calendar.AddProperty("X-WR-CALNAME", calendarName);
            calendar.AddProperty("X-WR-TIMEZONE", StockholmTime.ZoneId);
        }
        foreach (var e in events)
        {
            var local = StockholmTime.ToLocal(e.StartsAtUtc);
            var end = StockholmTime.ToLocal(e.StartsAtUtc.AddMinutes(e.DurationMinutes));
            var ev = new CalendarEvent
            {
                Uid = e.Uid,
                Summary = e.Title,
                Description = e.Description,
                DtStart = new CalDateTime(local.DateTime, StockholmTime.ZoneId),
                DtEnd = new CalDateTime(end.DateTime, StockholmTime.ZoneId),
                DtStamp = new CalDateTime(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), "UTC"),
                Sequence = e.Sequence,
                Status = e.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
                Location = e.Location,
            };
            if (e.Url is not null) ev.Url = new Uri(e.Url);
            calendar.Events.Add(ev);
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
