using Microsoft.AspNetCore.Identity;

namespace VagaVaraDigital.Api.Identity.Store;

/// <summary>
/// A platform account: county and Lantmäteriet staff (local password + TOTP) or a municipal user provisioned
/// by their organisation's SSO (an external login keyed by provider and subject). One role per account.
/// </summary>
public sealed class PlatformUser : IdentityUser
{
    /// <summary>One of <see cref="Roles.All"/>.</summary>
    public string Role { get; set; } = Roles.CountyEditor;

    /// <summary>The county tenant ("03"); null for SystemAdmin and NationalViewer.</summary>
    public string? TenantId { get; set; }

    /// <summary>The municipality code ("0380") of a MunicipalUser; null for everyone else.</summary>
    public string? MunicipalityCode { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>A demo account from <c>vvd seed-demo</c>: MFA is not enforced for it in Development.</summary>
    public bool IsDemo { get; set; }

    /// <summary>False when an administrator has switched the account off.</summary>
    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSignInAt { get; set; }
}
