using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Tenants;

/// <summary>
/// The 21 county tenants: SystemAdmin lists them and turns them on and off; everyone may read the public
/// face of the tenant in the address; CountyAdmin (and SystemAdmin) read and edit the tenant's settings.
/// </summary>
public static class TenantsApi
{
    public sealed record TenantSummary(string Id, string Slug, string Name, bool IsActive, DateTime UpdatedAt);
    public sealed record PublicTenant(string Id, string Slug, string Name);
    public sealed record TenantStateChange(bool IsActive);

    /// <summary>The tenant's settings (a class, not a positional record: Dapper fills int[] through setters).</summary>
    public sealed class TenantSettings
    {
        public required string DisplayName { get; init; }
        public string? ContactEmail { get; init; }
        public required string SenderName { get; init; }
        public string? ReplyToEmail { get; init; }
        public required string TimeZone { get; init; }
        public int ReachTarget { get; init; }
        public int AttendanceThresholdMinutes { get; init; }
        public required int[] ReminderOffsetsMinutes { get; init; }
        public int NudgeOffsetMinutes { get; init; }
        public int FollowUpDelayMinutes { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    public sealed record TenantSettingsUpdate(
        string DisplayName,
        string? ContactEmail,
        string SenderName,
        string? ReplyToEmail,
        string TimeZone,
        int ReachTarget,
        int AttendanceThresholdMinutes,
        int[] ReminderOffsetsMinutes,
        int NudgeOffsetMinutes,
        int FollowUpDelayMinutes);

    public static IEndpointRouteBuilder MapTenantEndpoints(this IEndpointRouteBuilder app)
    {
        var system = app.MapGroup("/api/system/tenants").WithTags("Tenants").RequireAuthorization(Policies.SystemAdmin);
        system.MapGet("/", ListTenants).WithName("ListTenants").WithSummary("Alla län (SystemAdmin)");
        system.MapPut("/{id}/state", SetState).WithName("SetTenantState").WithSummary("Aktivera eller inaktivera ett län");

        app.MapGet("/api/tenants", ListActiveTenants).WithTags("Tenants").AllowAnonymous().WithName("ListActiveTenants")
            .WithSummary("De län som använder tjänsten (offentligt: id, adress och namn)");

        var tenant = app.MapGroup("/api/tenant").WithTags("Tenants").RequireTenant();
        tenant.MapGet("/", GetPublicTenant).AllowAnonymous().WithName("GetTenant").WithSummary("Länet i adressen");
        tenant.MapGet("/settings", GetSettings).RequireAuthorization(Policies.CountyAdmin).WithName("GetTenantSettings");
        tenant.MapPut("/settings", UpdateSettings).RequireAuthorization(Policies.CountyAdmin).WithName("UpdateTenantSettings");
        return app;
    }

    static async Task<Ok<TenantSummary[]>> ListTenants(Db db, CancellationToken ct)
    {
        await using var uow = await db.ReadGlobalAsync(ct);
        var rows = await uow.QueryAsync<TenantSummary>(
            "SELECT id, slug, name, is_active AS IsActive, updated_at AS UpdatedAt FROM tenants ORDER BY id", ct: ct);
        return TypedResults.Ok(rows.ToArray());
    }

    static async Task<Ok<PublicTenant[]>> ListActiveTenants(Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginGlobalAsync(ct);
        var rows = await uow.QueryAsync<PublicTenant>("SELECT id, slug, name FROM tenants WHERE is_active ORDER BY id", ct: ct);
        return TypedResults.Ok(rows.ToArray());
    }

    static async Task<Results<Ok<TenantSummary>, ProblemHttpResult>> SetState(string id, TenantStateChange change, Db db,
        AuditLog audit, TenantStore store, CancellationToken ct)
    {
        await using var uow = await db.BeginGlobalAsync(ct);
        var row = await uow.QuerySingleOrDefaultAsync<TenantSummary>("""
            UPDATE tenants SET is_active = @IsActive, updated_at = now() WHERE id = @id
            RETURNING id, slug, name, is_active AS IsActive, updated_at AS UpdatedAt
            """, new { id, change.IsActive }, ct);
        if (row is null) return Problems.NotFound("Länet finns inte");
        await audit.RecordForTenantAsync(uow, id, change.IsActive ? "tenant.activated" : "tenant.deactivated", $"tenant:{id}", null, ct);
        await uow.CommitAsync(ct);
        store.Invalidate();
        return TypedResults.Ok(row);
    }

    static Ok<PublicTenant> GetPublicTenant(ITenantContextAccessor tenant)
    {
        var t = tenant.Tenant ?? throw new TenantRequiredException();
        return TypedResults.Ok(new PublicTenant(t.Id, t.Slug, t.Name));
    }

    const string SelectSettings = """
        SELECT t.name AS DisplayName, s.contact_email AS ContactEmail, s.sender_name AS SenderName,
               s.reply_to_email AS ReplyToEmail, s.time_zone AS TimeZone, s.reach_target AS ReachTarget,
               s.attendance_threshold_minutes AS AttendanceThresholdMinutes,
               s.reminder_offsets_minutes AS ReminderOffsetsMinutes, s.nudge_offset_minutes AS NudgeOffsetMinutes,
               s.follow_up_delay_minutes AS FollowUpDelayMinutes, greatest(s.updated_at, t.updated_at) AS UpdatedAt
        FROM tenant_settings s JOIN tenants t ON t.id = s.tenant_id
        """;

    static async Task<Ok<TenantSettings>> GetSettings(Db db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        return TypedResults.Ok(await uow.QuerySingleAsync<TenantSettings>(SelectSettings, ct: ct));
    }

    static async Task<Results<Ok<TenantSettings>, ValidationProblem>> UpdateSettings(TenantSettingsUpdate update, Db db,
        AuditLog audit, TenantStore store, CancellationToken ct)
    {
        var errors = Validate(update);
        if (errors.Count > 0) return Problems.Validation(errors);

        await using var uow = await db.BeginAsync(ct);
        var before = await uow.QuerySingleAsync<TenantSettings>(SelectSettings + " FOR UPDATE OF s", ct: ct);
        await uow.ExecuteAsync("""
            UPDATE tenants SET name = @DisplayName, updated_at = now() WHERE id = @tenantId AND name <> @DisplayName;
            UPDATE tenant_settings SET contact_email = @ContactEmail, sender_name = @SenderName, reply_to_email = @ReplyToEmail,
                   time_zone = @TimeZone, reach_target = @ReachTarget, attendance_threshold_minutes = @AttendanceThresholdMinutes,
                   reminder_offsets_minutes = @ReminderOffsetsMinutes, nudge_offset_minutes = @NudgeOffsetMinutes,
                   follow_up_delay_minutes = @FollowUpDelayMinutes, updated_at = now();
            """,
            new
            {
                tenantId = uow.RequiredTenantId,
                DisplayName = update.DisplayName.Trim(),
                ContactEmail = Blank(update.ContactEmail),
                SenderName = update.SenderName.Trim(),
                ReplyToEmail = Blank(update.ReplyToEmail),
                update.TimeZone,
                update.ReachTarget,
                update.AttendanceThresholdMinutes,
                ReminderOffsetsMinutes = update.ReminderOffsetsMinutes.Distinct().OrderDescending().ToArray(),
                update.NudgeOffsetMinutes,
                update.FollowUpDelayMinutes,
            }, ct);
        var after = await uow.QuerySingleAsync<TenantSettings>(SelectSettings, ct: ct);
        var changes = Diff(before, after);
        if (changes.Count > 0)
        {
            await audit.RecordAsync(uow, "settings.updated", $"tenant:{uow.RequiredTenantId}", changes, ct);
        }
        await uow.CommitAsync(ct);
        store.Invalidate();
        return TypedResults.Ok(after);
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    internal static Dictionary<string, string[]> Validate(TenantSettingsUpdate u)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(u.DisplayName) || u.DisplayName.Trim().Length > 200)
            Add("displayName", "Ange ett namn på högst 200 tecken.");
        if (string.IsNullOrWhiteSpace(u.SenderName) || u.SenderName.Trim().Length > 200)
            Add("senderName", "Ange ett avsändarnamn på högst 200 tecken.");
        if (!IsEmailOrBlank(u.ContactEmail)) Add("contactEmail", "Ange en giltig e-postadress.");
        if (!IsEmailOrBlank(u.ReplyToEmail)) Add("replyToEmail", "Ange en giltig e-postadress.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(u.TimeZone ?? "", out _)) Add("timeZone", "Okänd tidszon. Använd till exempel Europe/Stockholm.");
        if (u.ReachTarget is < 0 or > 1_000_000) Add("reachTarget", "Målet ska vara mellan 0 och 1 000 000.");
        if (u.AttendanceThresholdMinutes is < 0 or > 1440) Add("attendanceThresholdMinutes", "Gränsen ska vara mellan 0 och 1 440 minuter.");
        if (u.ReminderOffsetsMinutes is null || u.ReminderOffsetsMinutes.Length > 10 || u.ReminderOffsetsMinutes.Any(m => m is < 5 or > 60 * 24 * 60))
            Add("reminderOffsetsMinutes", "Högst tio påminnelser, var och en mellan 5 minuter och 60 dagar före start.");
        if (u.NudgeOffsetMinutes is < 0 or > 60 * 24 * 60) Add("nudgeOffsetMinutes", "Ska vara mellan 0 och 60 dagar (0 = ingen).");
        if (u.FollowUpDelayMinutes is < 0 or > 60 * 24 * 60) Add("followUpDelayMinutes", "Ska vara mellan 0 och 60 dagar.");
        return errors;
    }

    static bool IsEmailOrBlank(string? value) =>
        string.IsNullOrWhiteSpace(value) || (value.Trim().Length <= 254 && MailAddress.TryCreate(value.Trim(), out var a) && a.Address == value.Trim());

    static Dictionary<string, object?> Diff(TenantSettings before, TenantSettings after)
    {
        var changes = new Dictionary<string, object?>();
        foreach (var p in typeof(TenantSettings).GetProperties().Where(p => p.Name != nameof(TenantSettings.UpdatedAt)))
        {
            var (b, a) = (p.GetValue(before), p.GetValue(after));
            var same = b is int[] bi && a is int[] ai ? bi.SequenceEqual(ai) : Equals(b, a);
            if (!same) changes[JsonNamingPolicyCamel(p.Name)] = new { from = b, to = a };
        }
        return changes;
    }

    static string JsonNamingPolicyCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
