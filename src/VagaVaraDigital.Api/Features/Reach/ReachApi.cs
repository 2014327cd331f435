using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Reach;

/// <summary>
/// Reach against the 3,000-leader target. County report (tenant-scoped: CountyAdmin, CountyEditor, SystemAdmin; a
/// MunicipalUser gets their municipality only) and the national report and API (not tenant-scoped: NationalViewer,
/// SystemAdmin, API clients with scope <c>reach.read</c>; aggregates only). JSON version 1; CSV and XLSX exports.
/// Definitions: docs/reach.md.
/// </summary>
public static class ReachApi
{
    /// <summary>National aggregates: NationalViewer, SystemAdmin, or a token with scope <see cref="ReadScope"/>.</summary>
    public const string NationalReadPolicy = "NationalReach";
    public const string ReadScope = OidcServer.ReachReadScope;

    public sealed record NationalTarget(int Target);

    public static IServiceCollection AddReach(this IServiceCollection services)
    {
        services.AddOptions<ReachOptions>().BindConfiguration(ReachOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReachReportCache>();
        services.AddScoped<ReachReports>();
        services.AddScoped<ReachSnapshots>();
        services.AddAuthorizationBuilder().AddPolicy(NationalReadPolicy, p => p
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => CanReadNational(ctx.User)));
        return services;
    }

    /// <summary>A national role, or a bearer token (client credentials) whose scopes include reach.read
    /// (identity's <see cref="OidcServer.HasScope"/>: <c>scope</c> / <c>oi_scp</c> claims, space separated).</summary>
    public static bool CanReadNational(ClaimsPrincipal user) =>
        new[] { Roles.NationalViewer, Roles.SystemAdmin }.Any(r => user.IsInRole(r) || user.HasClaim("role", r))
        || OidcServer.HasScope(user, ReadScope);

    public static IEndpointRouteBuilder MapReachEndpoints(this IEndpointRouteBuilder app)
    {
        var county = app.MapGroup("/api/reach").WithTags("Reach").RequireTenant().RequireAuthorization(Policies.TenantMember);
        county.MapGet("/", GetCountyReport).WithName("GetCountyReach")
            .WithSummary("Länets räckvidd mot målet (kommunanvändare: den egna kommunen)")
            .WithDescription("Version 1. Nådda ledare, mål, prognos, tratt, per kommun, rollkategori och sändning, över tid. Definitionerna följer med i svaret.");
        county.MapGet("/export.csv", ExportCountyCsv).WithName("ExportCountyReachCsv")
            .WithSummary("Länets räckvidd som CSV (UTF-8 med BOM, semikolon); ?table=kommuner m.fl. för en tabell")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        county.MapGet("/export.xlsx", ExportCountyXlsx).WithName("ExportCountyReachXlsx")
            .WithSummary("Länets räckvidd som Excel (ett blad per tabell)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxType);

        var national = app.MapGroup("/api/national/reach").WithTags("National reach").RequireAuthorization(NationalReadPolicy);
        national.MapGet("/", GetNationalReport).WithName("GetNationalReach")
            .WithSummary("Nationell räckvidd (version 1): endast aggregat")
            .WithDescription("För Lantmäteriet och deras system (klientuppgifter med scope reach.read). Inga namn eller e-postadresser.");
        national.MapGet("/counties", ListCounties).WithName("ListCountyReach")
            .WithSummary("En rad per län med mål och andel av målet; sortera med ?sort=reached|percent|target|name|id&order=asc|desc");
        national.MapGet("/counties/{countyId}", GetCounty).WithName("GetCountyReachRow").WithSummary("Ett läns rad");
        national.MapGet("/export.csv", ExportNationalCsv).WithName("ExportNationalReachCsv")
            .WithSummary("Nationell räckvidd som CSV (UTF-8 med BOM, semikolon)").Produces(StatusCodes.Status200OK, contentType: "text/csv");
        national.MapGet("/export.xlsx", ExportNationalXlsx).WithName("ExportNationalReachXlsx")
            .WithSummary("Nationell räckvidd som Excel").Produces(StatusCodes.Status200OK, contentType: XlsxType);
        national.MapGet("/target", GetNationalTarget).WithName("GetNationalReachTarget").WithSummary("Det nationella målet");
        national.MapPut("/target", SetNationalTarget).RequireAuthorization(Policies.SystemAdmin)
            .WithName("SetNationalReachTarget").WithSummary("Ändra det nationella målet (SystemAdmin)");
        return app;
    }

    const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    static Task<CountyReachReport> CountyReport(ReachReports reports, ITenantContextAccessor tenant, CurrentUser user, CancellationToken ct)
    {
        var t = tenant.Tenant ?? throw new TenantRequiredException();
        return reports.CountyAsync(t.Id, t.Name, user.RestrictedToMunicipality, ct);
    }

    static async Task<JsonDocumentResult<CountyReachReport>> GetCountyReport(ReachReports reports, ITenantContextAccessor tenant, CurrentUser user,
        CancellationToken ct) => new(await CountyReport(reports, tenant, user, ct));

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportCountyCsv(ReachReports reports, ITenantContextAccessor tenant,
        CurrentUser user, TimeProvider clock, string? table, CancellationToken ct)
    {
        var report = await CountyReport(reports, tenant, user, ct);
        var tables = ReachExport.Select(ReachExport.Tables(report), table);
        if (tables is null) return UnknownTable(ReachExport.Tables(report));
        return TypedResults.File(ReachExport.Csv(tables), "text/csv; charset=utf-8", FileName(tenant.Tenant!.Slug, clock, "csv"));
    }

    static async Task<FileContentHttpResult> ExportCountyXlsx(ReachReports reports, ITenantContextAccessor tenant, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        var report = await CountyReport(reports, tenant, user, ct);
        return TypedResults.File(ReachExport.Xlsx(ReachExport.Tables(report)), XlsxType, FileName(tenant.Tenant!.Slug, clock, "xlsx"));
    }

    static async Task<JsonDocumentResult<NationalReachReport>> GetNationalReport(ReachReports reports, CancellationToken ct) =>
        new(await reports.NationalAsync(ct));

    static async Task<Ok<CountyReachRow[]>> ListCounties(ReachReports reports, string? sort, string? order, CancellationToken ct)
    {
        var counties = (await reports.NationalAsync(ct)).Counties;
        var descending = order is null ? sort is null or "reached" or "percent" or "target" : order.Equals("desc", StringComparison.OrdinalIgnoreCase);
        Func<CountyReachRow, object> key = (sort ?? "reached").ToLowerInvariant() switch
        {
            "percent" => c => c.PercentOfTarget ?? -1,
            "target" => c => c.Target,
            "name" => c => c.Name,
            "id" => c => c.Id,
            _ => c => c.Reached,
        };
        var sorted = descending ? counties.OrderByDescending(key).ThenBy(c => c.Id) : counties.OrderBy(key).ThenBy(c => c.Id);
        return TypedResults.Ok(sorted.ToArray());
    }

    static async Task<Results<Ok<CountyReachRow>, ProblemHttpResult>> GetCounty(string countyId, ReachReports reports, CancellationToken ct)
    {
        var row = (await reports.NationalAsync(ct)).Counties.FirstOrDefault(c => c.Id == countyId);
        return row is null ? Problems.NotFound("Länet finns inte") : TypedResults.Ok(row);
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportNationalCsv(ReachReports reports, TimeProvider clock,
        string? table, CancellationToken ct)
    {
        var all = ReachExport.Tables(await reports.NationalAsync(ct));
        var tables = ReachExport.Select(all, table);
        if (tables is null) return UnknownTable(all);
        return TypedResults.File(ReachExport.Csv(tables), "text/csv; charset=utf-8", FileName("nationellt", clock, "csv"));
    }

    static async Task<FileContentHttpResult> ExportNationalXlsx(ReachReports reports, TimeProvider clock, CancellationToken ct) =>
        TypedResults.File(ReachExport.Xlsx(ReachExport.Tables(await reports.NationalAsync(ct))), XlsxType, FileName("nationellt", clock, "xlsx"));

    static async Task<Ok<NationalTarget>> GetNationalTarget(Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginGlobalAsync(ct);
        return TypedResults.Ok(new NationalTarget(await uow.QuerySingleAsync<int>(
            "SELECT coalesce((SELECT target FROM reach_national_settings), 3000)", ct: ct)));
    }

    /// <summary>
    /// Sets the national target (SystemAdmin). Audited as <c>reach.national_target_changed</c> (old and new value) in every
    /// county's audit log, in the same transaction: the audit log is per tenant and the target is every county's concern.
    /// </summary>
    static async Task<Results<Ok<NationalTarget>, ValidationProblem>> SetNationalTarget(NationalTarget body, Db db, CurrentUser user,
        AuditLog audit, ReachReports reports, CancellationToken ct)
    {
        if (body.Target is < 1 or > 1_000_000)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["target"] = ["Målet ska vara mellan 1 och 1 000 000."] });
        }
        await using var uow = await db.BeginGlobalAsync(ct);
        var previous = await uow.QuerySingleAsync<int>(
            "SELECT coalesce((SELECT target FROM reach_national_settings FOR UPDATE), 3000)", ct: ct);
        await uow.ExecuteAsync("""
            INSERT INTO reach_national_settings (id, target, updated_at, updated_by) VALUES (true, @Target, now(), @by)
            ON CONFLICT (id) DO UPDATE SET target = EXCLUDED.target, updated_at = now(), updated_by = EXCLUDED.updated_by
            """, new { body.Target, by = user.Id }, ct);
        if (previous != body.Target)
        {
            foreach (var tenantId in await uow.QueryAsync<string>("SELECT id FROM tenants ORDER BY id", ct: ct))
            {
                await audit.RecordForTenantAsync(uow, tenantId, "reach.national_target_changed", "reach:national-target",
                    new { from = previous, to = body.Target }, ct);
            }
        }
        await uow.CommitAsync(ct);
        reports.ForgetNational();
        return TypedResults.Ok(body);
    }

    static ProblemHttpResult UnknownTable(IReadOnlyList<ReachExport.Table> tables) => Problems.Result(StatusCodes.Status400BadRequest,
        "unknown_table", "Okänd tabell", $"Välj en av: {string.Join(", ", tables.Select(t => ReachExport.Slug(t.Name)))}.");

    static string FileName(string scope, TimeProvider clock, string ext) =>
        $"rackvidd-{scope}-{ReachCalculations.Today(clock.GetUtcNow()):yyyy-MM-dd}.{ext}";
}
