using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Features.Invitations;
using VagaVaraDigital.Api.Features.PublicPages;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Webcasts;

/// <summary>
/// The tenant's webcast schedule: county staff create drafts, schedule, reschedule and cancel (the last two
/// notify everyone invited); everyone in the tenant reads the schedule. Times are entered and shown in
/// Europe/Stockholm (<see cref="StockholmTime"/>), stored in UTC.
/// </summary>
public static class WebcastsApi
{
    public static readonly string[] Platforms = ["teams", "zoom", "other"];
    public static readonly string[] RoleCategories = ["fortroendevald", "kommunledning", "forvaltningschef", "lansstyrelsens_ledning", "ovrig"];

    public sealed record WebcastInput(
        string? Title,
        string? Description,
        string? StartsAt,
        int DurationMinutes,
        string? Platform,
        string? JoinUrl,
        string? RecordingUrl,
        int? Capacity,
        string[]? AudienceMunicipalities,
        string[]? AudienceRoleCategories);

    public sealed record RescheduleInput(string? StartsAt, int? DurationMinutes);

    public sealed record WebcastCounts(int Invited, int Accepted, int Waitlisted, int Declined, int Attended, int Absent);

    public sealed record Webcast(
        Guid Id, string Title, string Description, DateTime StartsAt, string StartsAtLocal, string StartsAtText, string TimeZone,
        int DurationMinutes, DateTime EndsAt, string Platform, string? JoinUrl, string? RecordingUrl, int? Capacity,
        string[] AudienceMunicipalities, string[] AudienceRoleCategories, string Status, int ScheduleVersion,
        DateTime UpdatedAt, DateTime? CancelledAt, WebcastCounts Counts);

    public static IServiceCollection AddWebcasts(this IServiceCollection services)
    {
        services.AddOptions<PublicLinksOptions>().BindConfiguration(PublicLinksOptions.Section)
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "PublicLinks:BaseUrl must be an absolute URL").ValidateOnStart();
        services.AddSingleton<PublicLinks>();
        services.AddSingleton<InvitationMail>();
        services.AddSingleton<Rsvp>();
        services.AddScoped<WebcastLifecycle>();
        return services;
    }

    public static IEndpointRouteBuilder MapWebcastEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/webcasts").WithTags("Webcasts").RequireTenant().RequireAuthorization(Policies.TenantMember);
        read.MapGet("/", List).WithName("ListWebcasts").WithSummary("Länets webbsändningar, i tidsordning");
        read.MapGet("/{id:guid}", Get).WithName("GetWebcast").WithSummary("En webbsändning");

        var write = app.MapGroup("/api/webcasts").WithTags("Webcasts").RequireTenant().RequireAuthorization(Policies.CountyStaff);
        write.MapPost("/", Create).WithName("CreateWebcast").WithSummary("Skapa ett utkast (tid i svensk tid)");
        write.MapPut("/{id:guid}", Update).WithName("UpdateWebcast").WithSummary("Ändra uppgifter (starttiden bara i utkast)");
        write.MapDelete("/{id:guid}", Delete).WithName("DeleteWebcast").WithSummary("Ta bort ett utkast utan inbjudningar");
        write.MapPost("/{id:guid}/schedule", Schedule).WithName("ScheduleWebcast").WithSummary("Publicera: utkast → planerad");
        write.MapPost("/{id:guid}/reschedule", Reschedule).WithName("RescheduleWebcast").WithSummary("Flytta: ny tid, alla inbjudna meddelas");
        write.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelWebcast").WithSummary("Ställ in: alla inbjudna meddelas");
        return app;
    }

    internal const string CountsSql = """
        SELECT webcast_id AS WebcastId,
               count(*)::int AS Invited,
               count(*) FILTER (WHERE status = 'accepted')::int AS Accepted,
               count(*) FILTER (WHERE status = 'waitlisted')::int AS Waitlisted,
               count(*) FILTER (WHERE status = 'declined')::int AS Declined,
               count(*) FILTER (WHERE status = 'attended')::int AS Attended,
               count(*) FILTER (WHERE status = 'absent')::int AS Absent
        FROM invitations WHERE webcast_id = ANY(@ids) GROUP BY webcast_id
        """;

    sealed record CountRow(Guid WebcastId, int Invited, int Accepted, int Waitlisted, int Declined, int Attended, int Absent);

    static async Task<Webcast[]> ShapeAsync(UnitOfWork uow, IReadOnlyList<WebcastRow> rows, CurrentUser user, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToArray();
        var counts = (await uow.QueryAsync<CountRow>(CountsSql, new { ids }, ct)).ToDictionary(c => c.WebcastId);
        var hideJoin = user.RestrictedToMunicipality is not null;
        return rows.Select(r =>
        {
            var c = counts.GetValueOrDefault(r.Id);
            return new Webcast(r.Id, r.Title, r.Description, r.StartsAtUtc, StockholmTime.ToLocalIso(r.StartsAtUtc),
                StockholmTime.FormatSwedish(r.StartsAtUtc), StockholmTime.ZoneId, r.DurationMinutes, r.EndsAtUtc, r.Platform,
                hideJoin ? null : r.JoinUrl, r.RecordingUrl, r.Capacity, r.AudienceMunicipalities, r.AudienceRoleCategories, r.Status,
                r.ScheduleVersion, DateTime.SpecifyKind(r.UpdatedAt, DateTimeKind.Utc),
                r.CancelledAt is { } x ? DateTime.SpecifyKind(x, DateTimeKind.Utc) : null,
                new WebcastCounts(c?.Invited ?? 0, c?.Accepted ?? 0, c?.Waitlisted ?? 0, c?.Declined ?? 0, c?.Attended ?? 0, c?.Absent ?? 0));
        }).ToArray();
    }

    static async Task<Ok<Webcast[]>> List(Db db, CurrentUser user, string? status, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var rows = (await uow.QueryAsync<WebcastRow>($"""
            SELECT {WebcastRow.Columns} FROM webcasts w
            WHERE (@status::text IS NULL OR w.status = @status)
              AND (@restricted::boolean = false OR w.status <> 'draft')
            ORDER BY w.starts_at, w.id
            """, new { status, restricted = user.RestrictedToMunicipality is not null }, ct)).ToArray();
        return TypedResults.Ok(await ShapeAsync(uow, rows, user, ct));
    }

    static async Task<Results<Ok<Webcast>, ProblemHttpResult>> Get(Guid id, Db db, CurrentUser user, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await FindAsync(uow, id, forUpdate: false, ct);
        if (row is null || (row.Status == "draft" && user.RestrictedToMunicipality is not null)) return WebcastNotFound();
        return TypedResults.Ok((await ShapeAsync(uow, [row], user, ct))[0]);
    }

    internal static Task<WebcastRow?> FindAsync(UnitOfWork uow, Guid id, bool forUpdate, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<WebcastRow>(
            $"SELECT {WebcastRow.Columns} FROM webcasts w WHERE w.id = @id" + (forUpdate ? " FOR UPDATE" : ""), new { id }, ct);

    internal static ProblemHttpResult WebcastNotFound() => Problems.NotFound("Webbsändningen finns inte");

    sealed record Validated(string Title, string Description, DateTime StartsAt, int DurationMinutes, string Platform,
        string? JoinUrl, string? RecordingUrl, int? Capacity, string[] Municipalities, string[] RoleCategories);

    static async Task<(Validated? Value, Dictionary<string, string[]> Errors)> ValidateAsync(UnitOfWork uow, WebcastInput input,
        DateTime now, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length is < 1 or > 200) errors["title"] = ["Ange en rubrik på högst 200 tecken."];
        var description = input.Description?.Trim() ?? "";
        if (description.Length > 10_000) errors["description"] = ["Beskrivningen får vara högst 10 000 tecken."];
        var start = ValidateStart(input.StartsAt, now, errors);
        if (input.DurationMinutes is < 5 or > 1440) errors["durationMinutes"] = ["Längden ska vara mellan 5 och 1 440 minuter."];
        var platform = (input.Platform ?? "teams").Trim().ToLowerInvariant();
        if (!Platforms.Contains(platform)) errors["platform"] = ["Välj Microsoft Teams, Zoom eller annan (teams, zoom, other)."];
        var join = HttpsUrl(input.JoinUrl, "joinUrl", errors);
        var recording = HttpsUrl(input.RecordingUrl, "recordingUrl", errors);
        if (input.Capacity is <= 0 or > 100_000) errors["capacity"] = ["Antalet platser ska vara mellan 1 och 100 000, eller tomt för obegränsat."];
        var municipalities = (input.AudienceMunicipalities ?? []).Select(m => m.Trim()).Distinct().Order().ToArray();
        if (municipalities.Length > 0)
        {
            var known = (await uow.QueryAsync<string>("SELECT code FROM municipalities WHERE county_code = @tenant AND code = ANY(@municipalities)",
                new { tenant = uow.RequiredTenantId, municipalities }, ct)).Append(Invitees.InviteeFilter.CountyBoard).ToHashSet();
            var unknown = municipalities.Where(m => !known.Contains(m)).ToArray();
            if (unknown.Length > 0) errors["audienceMunicipalities"] = [$"Kommunerna finns inte i länet: {string.Join(", ", unknown)}."];
        }
        var roles = (input.AudienceRoleCategories ?? []).Select(r => r.Trim()).Distinct().Order().ToArray();
        if (roles.Any(r => !RoleCategories.Contains(r)))
            errors["audienceRoleCategories"] = [$"Okänd rollkategori. Tillåtna: {string.Join(", ", RoleCategories)}."];
        return errors.Count > 0
            ? (null, errors)
            : (new Validated(title, description, start!.Value, input.DurationMinutes, platform, join, recording, input.Capacity, municipalities, roles), errors);
    }

    /// <summary>The start in Stockholm time → UTC, with the daylight-saving messages of ADR 0040.</summary>
    internal static DateTime? ValidateStart(string? startsAt, DateTime now, Dictionary<string, string[]> errors)
    {
        var parsed = StockholmTime.Parse(startsAt);
        switch (parsed.Outcome)
        {
            case StockholmTime.Outcome.Malformed:
                errors["startsAt"] = ["Ange starttiden i svensk tid som ÅÅÅÅ-MM-DDTHH:MM, till exempel 2027-03-28T10:00."];
                return null;
            case StockholmTime.Outcome.InGap:
                errors["startsAt"] = ["Den tiden finns inte: natten till sista söndagen i mars ställs klockan fram från 02:00 till 03:00 " +
                    "(sommartid börjar). Välj en tid före 02:00 eller från 03:00. / That time does not exist in Sweden (daylight saving time starts)."];
                return null;
            case StockholmTime.Outcome.OffsetMismatch:
                errors["startsAt"] = ["Tidsskillnaden mot UTC stämmer inte med svensk tid vid den tidpunkten. Ange tiden utan tidsskillnad."];
                return null;
        }
        if (parsed.Utc <= now)
        {
            errors["startsAt"] = ["Starttiden har redan passerat. Välj en tid framåt."];
            return null;
        }
        return parsed.Utc;
    }

    static string? HttpsUrl(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var s = value.Trim();
        if (s.Length > 2000 || !Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            errors[field] = ["Länken måste vara en fullständig https-adress (https://…)."];
            return null;
        }
        return uri.AbsoluteUri;
    }

    static async Task<Results<Created<Webcast>, ValidationProblem>> Create(WebcastInput input, Db db, CurrentUser user, AuditLog audit,
        TimeProvider time, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (v, errors) = await ValidateAsync(uow, input, time.GetUtcNow().UtcDateTime, ct);
        if (v is null) return Problems.Validation(errors);
        var id = await uow.ExecuteScalarAsync<Guid>("""
            INSERT INTO webcasts (tenant_id, title, description, starts_at, duration_minutes, platform, join_url, recording_url,
                                  capacity, audience_municipalities, audience_role_categories, status)
            VALUES (@tenant, @Title, @Description, @StartsAt, @DurationMinutes, @Platform, @JoinUrl, @RecordingUrl,
                    @Capacity, @Municipalities, @RoleCategories, 'draft')
            RETURNING id
            """, new
        {
            tenant = uow.RequiredTenantId, v.Title, v.Description, v.StartsAt, v.DurationMinutes, v.Platform, v.JoinUrl,
            v.RecordingUrl, v.Capacity, v.Municipalities, v.RoleCategories,
        }, ct);
        await audit.RecordAsync(uow, "webcast.created", $"webcast:{id}", null, ct);
        var row = (await FindAsync(uow, id, false, ct))!;
        var shaped = (await ShapeAsync(uow, [row], user, ct))[0];
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/webcasts/{id}", shaped);
    }

    static async Task<Results<Ok<Webcast>, ValidationProblem, ProblemHttpResult>> Update(Guid id, WebcastInput input, Db db,
        CurrentUser user, AuditLog audit, TimeProvider time, Rsvp rsvp, ITenantContextAccessor tenant, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await FindAsync(uow, id, forUpdate: true, ct);
        if (row is null) return WebcastNotFound();
        if (row.Status is "completed" or "cancelled")
            return Problems.Conflict("webcast_closed", "Webbsändningen kan inte ändras", "Den är avslutad eller inställd.");
        var now = time.GetUtcNow().UtcDateTime;
        // Outside a draft the start is moved only by reschedule (which tells everyone): a different time here is refused.
        if (row.Status != "draft")
        {
            StockholmTime.Parsed? asked = string.IsNullOrWhiteSpace(input.StartsAt) ? null : StockholmTime.Parse(input.StartsAt);
            var timeChanged = asked is { } a && (a.Outcome != StockholmTime.Outcome.Ok || a.Utc != row.StartsAtUtc);
            if (timeChanged || (input.DurationMinutes != 0 && input.DurationMinutes != row.DurationMinutes))
            {
                return Problems.Conflict("use_reschedule", "Använd Flytta för att ändra tiden",
                    "En planerad webbsändning flyttas med Flytta, så att alla inbjudna får besked.");
            }
        }
        var effective = row.Status == "draft" ? input : input with
        {
            StartsAt = StockholmTime.ToLocalIso(row.StartsAtUtc),
            DurationMinutes = row.DurationMinutes,
        };
        var (v, errors) = await ValidateAsync(uow, effective, row.Status == "draft" ? now : DateTime.MinValue, ct);
        if (v is null) return Problems.Validation(errors);
        await uow.ExecuteAsync("""
            UPDATE webcasts SET title = @Title, description = @Description, starts_at = @StartsAt, duration_minutes = @DurationMinutes,
                   platform = @Platform, join_url = @JoinUrl, recording_url = @RecordingUrl, capacity = @Capacity,
                   audience_municipalities = @Municipalities, audience_role_categories = @RoleCategories, updated_at = now()
            WHERE id = @id
            """, new
        {
            id, v.Title, v.Description, v.StartsAt, v.DurationMinutes, v.Platform, v.JoinUrl, v.RecordingUrl, v.Capacity,
            v.Municipalities, v.RoleCategories,
        }, ct);
        var updated = (await FindAsync(uow, id, false, ct))!;
        if (updated.Status == "scheduled" && (updated.Capacity is null || updated.Capacity > (row.Capacity ?? int.MaxValue)))
        {
            await rsvp.PromoteAsync(uow, updated, tenant.Tenant!.Slug, ct);
        }
        await audit.RecordAsync(uow, "webcast.updated", $"webcast:{id}", null, ct);
        var shaped = (await ShapeAsync(uow, [updated], user, ct))[0];
        await uow.CommitAsync(ct);
        return TypedResults.Ok(shaped);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, Db db, AuditLog audit, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await FindAsync(uow, id, forUpdate: true, ct);
        if (row is null) return WebcastNotFound();
        var invited = await uow.ExecuteScalarAsync<long>("SELECT count(*) FROM invitations WHERE webcast_id = @id", new { id }, ct);
        if (row.Status != "draft" || invited > 0)
            return Problems.Conflict("webcast_not_draft", "Bara utkast utan inbjudningar kan tas bort", "Ställ in webbsändningen i stället.");
        await uow.ExecuteAsync("DELETE FROM webcasts WHERE id = @id", new { id }, ct);
        await audit.RecordAsync(uow, "webcast.deleted", $"webcast:{id}", null, ct);
        await uow.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<Webcast>, ProblemHttpResult>> Schedule(Guid id, Db db, CurrentUser user, AuditLog audit,
        TimeProvider time, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await FindAsync(uow, id, forUpdate: true, ct);
        if (row is null) return WebcastNotFound();
        if (row.Status != "draft")
            return Problems.Conflict("webcast_not_draft", "Webbsändningen är redan publicerad", $"Status: {row.Status}.");
        if (row.StartsAtUtc <= time.GetUtcNow().UtcDateTime)
            return Problems.Conflict("start_passed", "Starttiden har passerat", "Ändra starttiden innan du publicerar.");
        await uow.ExecuteAsync("UPDATE webcasts SET status = 'scheduled', updated_at = now() WHERE id = @id", new { id }, ct);
        await audit.RecordAsync(uow, "webcast.scheduled", $"webcast:{id}", null, ct);
        var shaped = (await ShapeAsync(uow, [(await FindAsync(uow, id, false, ct))!], user, ct))[0];
        await uow.CommitAsync(ct);
        return TypedResults.Ok(shaped);
    }

    /// <summary>
    /// New start (and optionally length): schedule_version + 1 (the calendar SEQUENCE), pending reminders of
    /// the old time stopped, and everyone invited gets a "moved" message — with a new .ics when they have
    /// the webcast in their calendar (accepted or waitlisted).
    /// </summary>
    static async Task<Results<Ok<Webcast>, ValidationProblem, ProblemHttpResult>> Reschedule(Guid id, RescheduleInput input, Db db,
        CurrentUser user, AuditLog audit, TimeProvider time, InvitationMail mail, ITenantContextAccessor tenant, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await FindAsync(uow, id, forUpdate: true, ct);
        if (row is null) return WebcastNotFound();
        if (row.Status != "scheduled")
            return Problems.Conflict("webcast_not_scheduled", "Bara planerade webbsändningar kan flyttas",
                row.Status == "draft" ? "Ändra tiden i utkastet i stället." : $"Status: {row.Status}.");
        var errors = new Dictionary<string, string[]>();
        var start = ValidateStart(input.StartsAt, time.GetUtcNow().UtcDateTime, errors);
        var duration = input.DurationMinutes ?? row.DurationMinutes;
        if (duration is < 5 or > 1440) errors["durationMinutes"] = ["Längden ska vara mellan 5 och 1 440 minuter."];
        if (errors.Count > 0) return Problems.Validation(errors);
        if (start == row.StartsAtUtc && duration == row.DurationMinutes)
            return Problems.Conflict("same_time", "Samma tid som förut", "Välj en ny tid för att flytta webbsändningen.");

        await uow.ExecuteAsync("""
            UPDATE webcasts SET starts_at = @start, duration_minutes = @duration, schedule_version = schedule_version + 1, updated_at = now()
            WHERE id = @id
            """, new { id, start, duration }, ct);
        var moved = (await FindAsync(uow, id, false, ct))!;
        var notified = await NotifyEveryoneInvitedAsync(uow, moved, "reschedule", mail, tenant.Tenant!.Slug, ct);
        await ReminderSchedule.RescheduleWebcastAsync(uow, id, ct, time);   // reminders and nudges of the new time
        await audit.RecordAsync(uow, "webcast.rescheduled", $"webcast:{id}",
            new { from = row.StartsAtUtc, to = moved.StartsAtUtc, scheduleVersion = moved.ScheduleVersion, notified }, ct);
        var shaped = (await ShapeAsync(uow, [moved], user, ct))[0];
        await uow.CommitAsync(ct);
        return TypedResults.Ok(shaped);
    }

    /// <summary>Cancelled: schedule_version + 1, every pending message of its invitations stopped, cancellations sent.</summary>
    static async Task<Results<Ok<Webcast>, ProblemHttpResult>> Cancel(Guid id, Db db, CurrentUser user, AuditLog audit,
        InvitationMail mail, ITenantContextAccessor tenant, TimeProvider time, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await FindAsync(uow, id, forUpdate: true, ct);
        if (row is null) return WebcastNotFound();
        if (row.Status is not ("draft" or "scheduled"))
            return Problems.Conflict("webcast_not_cancellable", "Webbsändningen kan inte ställas in", $"Status: {row.Status}.");
        await uow.ExecuteAsync("""
            UPDATE webcasts SET status = 'cancelled', cancelled_at = now(), schedule_version = schedule_version + 1, updated_at = now()
            WHERE id = @id
            """, new { id }, ct);
        var cancelled = (await FindAsync(uow, id, false, ct))!;
        var notified = await NotifyEveryoneInvitedAsync(uow, cancelled, "cancellation", mail, tenant.Tenant!.Slug, ct);
        await ReminderSchedule.RescheduleWebcastAsync(uow, id, ct, time);   // a cancelled webcast keeps no reminders
        await audit.RecordAsync(uow, "webcast.cancelled", $"webcast:{id}", new { notified }, ct);
        var shaped = (await ShapeAsync(uow, [cancelled], user, ct))[0];
        await uow.CommitAsync(ct);
        return TypedResults.Ok(shaped);
    }

    /// <summary>
    /// Everyone who has been sent an invitation (any answer) and can still be e-mailed gets <paramref name="kind"/>;
    /// their pending messages of the old schedule (reminders, nudges, unsent confirmations) are cancelled first.
    /// Invitations never sent are simply stopped.
    /// </summary>
    static async Task<int> NotifyEveryoneInvitedAsync(UnitOfWork uow, WebcastRow w, string kind, InvitationMail mail, string slug,
        CancellationToken ct)
    {
        var all = (await uow.QueryAsync<InvitationMail.Recipient>($"""
            SELECT {InvitationMail.RecipientColumns}
            FROM invitations i JOIN invitees v ON v.id = i.invitee_id
            WHERE i.webcast_id = @id ORDER BY i.created_at, i.id
            """, new { id = w.Id }, ct)).ToArray();
        foreach (var r in all) await Outbox.CancelPendingAsync(uow, $"{r.InvitationId}:", ct);
        var eligible = (await uow.QueryAsync<Guid>("""
            SELECT i.id FROM invitations i JOIN invitees v ON v.id = i.invitee_id
            WHERE i.webcast_id = @id AND i.status <> 'created' AND v.status = 'active' AND v.email IS NOT NULL
            """, new { id = w.Id }, ct)).ToHashSet();
        var n = 0;
        foreach (var r in all.Where(r => eligible.Contains(r.InvitationId)))
        {
            var inCalendar = r.Status is "accepted" or "waitlisted";
            if (await mail.EnqueueAsync(uow, kind, $"v{w.ScheduleVersion}", r, w, slug, attachCalendar: inCalendar, ct)) n++;
        }
        return n;
    }
}
