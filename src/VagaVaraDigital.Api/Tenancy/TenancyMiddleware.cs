using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Api.Tenancy;

/// <summary>
/// Before routing: resolve the tenant from host and path (in priority order). Two strategies that name
/// different tenants → 400; an unknown slug → 404.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next, IEnumerable<ITenantResolutionStrategy> strategies)
{
    readonly ITenantResolutionStrategy[] _strategies = strategies.OrderBy(s => s.Priority).ToArray();

    public async Task InvokeAsync(HttpContext context, TenantStore store, ITenantContextSetter setter)
    {
        var candidates = _strategies.Select(s => s.Identify(context)).OfType<TenantCandidate>().ToArray();
        if (candidates.Length > 0)
        {
            if (candidates.Select(c => c.Slug).Distinct().Count() > 1)
            {
                await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "tenant_conflict",
                    "Motstridiga län i adressen",
                    $"Adressen pekar ut olika län ({string.Join(", ", candidates.Select(c => $"{c.Strategy}: {c.Slug}"))}).");
                return;
            }

            var tenant = await store.FindBySlugAsync(candidates[0].Slug, context.RequestAborted);
            if (tenant is null)
            {
                await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "tenant_not_found",
                    "Länet finns inte", "Det finns inget län med den adressen.");
                return;
            }

            foreach (var c in candidates) c.Apply?.Invoke(context);
            setter.SetTenant(tenant);
        }

        await next(context);
    }
}

/// <summary>
/// After authentication: a token or user with a tenant claim and no tenant in the address gets the claim's
/// tenant (the claim strategy); a user bound to tenant A may not act on tenant B (cross-tenant roles
/// excepted); an inactive tenant answers 403 to all but SystemAdmin; a tenant-scoped endpoint without a
/// tenant answers 400.
/// </summary>
public sealed class TenantAccessMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TenantStore store, ITenantContextAccessor accessor,
        ITenantContextSetter setter, CurrentUser user)
    {
        var tenant = accessor.Tenant;
        var tenantScoped = context.GetEndpoint()?.Metadata.GetMetadata<TenantScopedAttribute>() is not null;

        if (tenant is null && tenantScoped && user.IsAuthenticated && user.TenantId is { } claimed)
        {
            tenant = await store.FindByIdAsync(claimed, context.RequestAborted);
            if (tenant is not null) setter.SetTenant(tenant);
        }

        if (tenant is not null)
        {
            if (user.IsAuthenticated && !user.IsCrossTenant && user.TenantId != tenant.Id)
            {
                await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "tenant_forbidden",
                    "Ingen behörighet i det här länet", "Ditt konto hör till ett annat län.");
                return;
            }
            if (!tenant.IsActive && !user.IsInRole(Roles.SystemAdmin))
            {
                await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "tenant_inactive",
                    "Länet är inte aktiverat", $"{tenant.Name} använder inte tjänsten just nu.");
                return;
            }
        }
        else if (tenantScoped)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "tenant_required",
                "Län saknas", "Den här tjänsten gäller ett län. Ange länet i adressen, till exempel /t/uppsala/….");
            return;
        }

        await next(context);
    }
}
