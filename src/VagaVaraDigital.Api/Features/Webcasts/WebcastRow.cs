namespace VagaVaraDigital.Api.Features.Webcasts;

/// <summary>A row of <c>webcasts</c> (a class: Dapper fills text[] through setters).</summary>
public sealed class WebcastRow
{
    public const string Columns = """
        w.id AS Id, w.title AS Title, w.description AS Description, w.starts_at AS StartsAt,
        w.duration_minutes AS DurationMinutes, w.platform AS Platform, w.join_url AS JoinUrl, w.recording_url AS RecordingUrl,
        w.capacity AS Capacity, w.audience_municipalities AS AudienceMunicipalities,
        w.audience_role_categories AS AudienceRoleCategories, w.status AS Status, w.schedule_version AS ScheduleVersion,
        w.created_at AS CreatedAt, w.updated_at AS UpdatedAt, w.cancelled_at AS CancelledAt
        """;

    public Guid Id { get; init; }
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public DateTime StartsAt { get; init; }
    public int DurationMinutes { get; init; }
    public string Platform { get; init; } = "teams";
    public string? JoinUrl { get; init; }
    public string? RecordingUrl { get; init; }
    public int? Capacity { get; init; }
    public string[] AudienceMunicipalities { get; init; } = [];
    public string[] AudienceRoleCategories { get; init; } = [];
    public string Status { get; init; } = "draft";
    public int ScheduleVersion { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? CancelledAt { get; init; }

    public DateTime StartsAtUtc => DateTime.SpecifyKind(StartsAt, DateTimeKind.Utc);
    public DateTime EndsAtUtc => StartsAtUtc.AddMinutes(DurationMinutes);

    public CalendarFiles.EventData CalendarEvent(string uid, string? url) => new(
        uid, Title, Description, StartsAtUtc, DurationMinutes, ScheduleVersion, Status == "cancelled", url,
        Platform switch { "teams" => "Microsoft Teams", "zoom" => "Zoom", _ => "Webbsändning" });
}
