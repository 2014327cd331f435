using System.Security.Claims;

namespace VagaVaraDigital.Api.Identity;

/// <summary>The signed-in user of this request, as the features need to see them.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    public ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;

    public string? Id => Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? Principal.FindFirstValue("sub");

    public string? Name => Principal.FindFirstValue(ClaimTypes.Name) ?? Principal.FindFirstValue("name") ?? Id;

    public string? TenantId => Principal.FindFirstValue(VvdClaims.Tenant);

    public string? MunicipalityCode => Principal.FindFirstValue(VvdClaims.Municipality);

    public bool IsInRole(string role) => Principal.IsInRole(role) || Principal.HasClaim("role", role);

    public bool IsCrossTenant => Roles.CrossTenant.Any(IsInRole);

    /// <summary>A municipal user sees only their own municipality; everyone else in the tenant sees all.</summary>
    public string? RestrictedToMunicipality =>
        IsInRole(Roles.MunicipalUser) && !IsInRole(Roles.CountyAdmin) && !IsInRole(Roles.CountyEditor) && !IsCrossTenant
            ? MunicipalityCode ?? "----"
            : null;
}
