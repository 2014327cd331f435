using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Identity.Store;

namespace VagaVaraDigital.Api.Identity;

/// <summary>The claims of a signed-in user: id, name, role, tenant and (MunicipalUser) municipality.</summary>
public sealed class PlatformClaimsFactory(UserManager<PlatformUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PlatformUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PlatformUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        if (user.TenantId is not null) identity.AddClaim(new Claim(VvdClaims.Tenant, user.TenantId));
        if (user.MunicipalityCode is not null) identity.AddClaim(new Claim(VvdClaims.Municipality, user.MunicipalityCode));
        if (!string.IsNullOrWhiteSpace(user.DisplayName)) identity.AddClaim(new Claim("name", user.DisplayName));
        return identity;
    }
}

/// <summary>Who must use TOTP: the MFA roles, except demo accounts in Development.</summary>
public sealed class MfaPolicy(IHostEnvironment environment)
{
    public bool IsRequired(PlatformUser user) =>
        PlatformIdentityOptions.MfaRoles.Contains(user.Role) && !(user.IsDemo && environment.IsDevelopment());
}
