namespace VagaVaraDigital.Api.Identity;

/// <summary>The five roles of DESIGN.md. Invitees have no account.</summary>
public static class Roles
{
    public const string SystemAdmin = nameof(SystemAdmin);
    public const string NationalViewer = nameof(NationalViewer);
    public const string CountyAdmin = nameof(CountyAdmin);
    public const string CountyEditor = nameof(CountyEditor);
    public const string MunicipalUser = nameof(MunicipalUser);

    public static readonly IReadOnlyList<string> All = [SystemAdmin, NationalViewer, CountyAdmin, CountyEditor, MunicipalUser];

    /// <summary>Roles not bound to one tenant: they may act on any resolved tenant.</summary>
    public static readonly IReadOnlyList<string> CrossTenant = [SystemAdmin, NationalViewer];
}

/// <summary>Claims the platform puts on a signed-in user or token.</summary>
public static class VvdClaims
{
    public const string Tenant = "vvd_tenant";
    public const string Municipality = "vvd_municipality";
}

/// <summary>Authorization policy names, one per row of DESIGN.md's role table.</summary>
public static class Policies
{
    /// <summary>Platform operation: tenants, API clients, the Hangfire dashboard.</summary>
    public const string SystemAdmin = "SystemAdmin";

    /// <summary>Tenant settings, SSO and users: CountyAdmin of the tenant, or SystemAdmin.</summary>
    public const string CountyAdmin = "CountyAdmin";

    /// <summary>Invitees, webcasts, invitations and attendance: CountyAdmin, CountyEditor, SystemAdmin.</summary>
    public const string CountyStaff = "CountyStaff";

    /// <summary>County staff and municipal users (the latter limited to their municipality by the feature).</summary>
    public const string TenantMember = "TenantMember";

    /// <summary>National aggregates: NationalViewer and SystemAdmin.</summary>
    public const string National = "National";
}
