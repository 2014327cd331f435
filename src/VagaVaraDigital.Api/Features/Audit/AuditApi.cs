using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Audit;

/// <summary>The tenant's audit log: CountyAdmin for their tenant, SystemAdmin for any.</summary>
public static class AuditApi
{
    public sealed record AuditEntry(long Id, DateTime OccurredAt, string? ActorId, string? ActorName, string Action,
        string? Target, string Details, string? CorrelationId);

    public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? NextBefore);

    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddScoped<AuditLog>();

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireTenant().RequireAuthorization(Policies.CountyAdmin);
        group.MapGet("/", List).WithName("ListAuditEntries").WithSummary("Granskningsloggen, nyast först");
        app.MapGroup("/api/system/audit").WithTags("Audit").RequireAuthorization(Policies.SystemAdmin)
            .MapGet("/", ListPlatform).WithName("ListPlatformAuditEntries").WithSummary("Plattformens granskningslogg (API-klienter), nyast först");
        return app;
    }

    /// <summary>The platform's log (actions outside every county), newest first; paged like <see cref="List"/>.</summary>
    static async Task<Ok<AuditPage>> ListPlatform(Db db, long? before, int? limit, string? action, CancellationToken ct)
    {
        await using var uow = await db.ReadGlobalAsync(ct);
        return TypedResults.Ok(await PageAsync(uow, "platform_audit_log", before, limit, action, ct));
    }

    /// <summary>Newest first; pass <c>before</c> = the last id of a page for the next page.</summary>
    static async Task<Ok<AuditPage>> List(Db db, long? before, int? limit, string? action, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        return TypedResults.Ok(await PageAsync(uow, "audit_log", before, limit, action, ct));
    }

    /// <param name="table"><c>audit_log</c> (the unit's tenant, by row-level security) or <c>platform_audit_log</c>.</param>
    static async Task<AuditPage> PageAsync(UnitOfWork uow, string table, long? before, int? limit, string? action, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 200);
        var rows = (await uow.QueryAsync<AuditEntry>($"""
            SELECT id, occurred_at AS OccurredAt, actor_id AS ActorId, actor_name AS ActorName, action, target,
                   details::text AS Details, correlation_id AS CorrelationId
            FROM {table}
            WHERE (@before::bigint IS NULL OR id < @before) AND (@action::text IS NULL OR action = @action)
            ORDER BY id DESC
            LIMIT @take
            """, new { before, action, take = take + 1 }, ct)).ToList();
        long? next = rows.Count > take ? rows[take - 1].Id : null;
        return new AuditPage(rows.Take(take).ToArray(), next);
    }
}
