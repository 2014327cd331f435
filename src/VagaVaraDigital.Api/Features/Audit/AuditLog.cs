using System.Text.Json;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Api.Features.Audit;

/// <summary>
/// Appends security-relevant actions to the tenant's audit log, inside the caller's unit of work (so the
/// record and the change commit together). Details hold ids and changed setting names/values, never an
/// invitee's personal data.
/// </summary>
public sealed class AuditLog(CurrentUser user, IHttpContextAccessor http)
{
    public Task RecordAsync(UnitOfWork uow, string action, string? target, object? details = null, CancellationToken ct = default) =>
        RecordForTenantAsync(uow, uow.RequiredTenantId, action, target, details, ct);

    /// <summary>
    /// For actions that belong to no county (SystemAdmin's API clients): the platform's own log
    /// (<c>platform_audit_log</c>, migration 0652), in the caller's unit of work (a global one will do).
    /// </summary>
    public Task RecordPlatformAsync(UnitOfWork uow, string action, string? target, object? details = null, CancellationToken ct = default) =>
        uow.ExecuteAsync("""
            INSERT INTO platform_audit_log (actor_id, actor_name, action, target, details, correlation_id)
            VALUES (@actorId, @actorName, @action, @target, @details::jsonb, @correlationId)
            """,
            Row(null, action, target, details, null), ct);

    /// <summary>For actions on a tenant taken outside its scope (SystemAdmin activating a tenant).</summary>
    public async Task RecordForTenantAsync(UnitOfWork uow, string tenantId, string action, string? target, object? details, CancellationToken ct)
    {
        await uow.ExecuteAsync("""
            SELECT set_config('app.tenant_id', @tenantId, true);
            INSERT INTO audit_log (tenant_id, actor_id, actor_name, action, target, details, correlation_id)
            VALUES (@tenantId, @actorId, @actorName, @action, @target, @details::jsonb, @correlationId);
            SELECT set_config('app.tenant_id', coalesce(@scope, ''), true);
            """,
            Row(tenantId, action, target, details, uow.TenantId), ct);
    }

    /// <summary>One entry's parameters: who acted (or "system"), what, on what, the details as JSON, the request's correlation id.</summary>
    object Row(string? tenantId, string action, string? target, object? details, string? scope) => new
    {
        tenantId,
        actorId = user.Id ?? "system",
        actorName = user.Name ?? "system",
        action,
        target,
        details = JsonSerializer.Serialize(details ?? new { }, JsonSerializerOptions.Web),
        correlationId = http.HttpContext is { } ctx ? Observability.CorrelationId(ctx) : null,
        scope,
    };
}
