namespace VagaVaraDigital.Api.Identity;

/// <summary>Settings of sign-in, sessions and tokens (section <c>Identity</c>).</summary>
public sealed class PlatformIdentityOptions
{
    public const string Section = "Identity";

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in, however active.</summary>
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>Sign-in attempts (password, MFA, discovery, reset) per client address and window.</summary>
    public int SignInPermitLimit { get; set; } = 20;

    /// <summary>
    /// Sign-in steps that name an account (discovery, password, forgotten password) per e-mail address and window, from
    /// any number of client addresses. As large as the per-address limit by default: one person at one address meets
    /// that first; many addresses at one account are held to this.
    /// </summary>
    public int SignInAccountPermitLimit { get; set; } = 20;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed passwords or codes before the account is locked.</summary>
    public int LockoutMaxFailedAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an invitation link to set a password is valid.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a password reset link is valid.</summary>
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Origin of links in e-mail ("https://vagavaradigital.se"). Empty: the request's own origin, acceptable only
    /// on one machine (a forged Host header would otherwise end up in a reset link).
    /// </summary>
    public string PublicOrigin { get; set; } = "";

    /// <summary>The OpenID Connect server's issuer. Empty: the request's origin.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>
    /// The OpenID Connect endpoints answer plain http too (as in Development). Only for a loopback test server (the
    /// browser tests); behind a real host TLS is required.
    /// </summary>
    public bool OidcAllowHttp { get; set; }

    /// <summary>How often each instance re-reads the municipal SSO providers (edits on this instance apply at once).</summary>
    public TimeSpan SsoRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often each instance re-reads the OpenID Connect keys (rotation, docs/decisions/0016); 0 = never.</summary>
    public TimeSpan OidcKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The recurring job <c>identity.oidc-key-rotation</c> (daily) rotates the OpenID Connect keys once the current ones
    /// are this old (docs/decisions/0016); 0 = only by hand (<c>vvd oidc-keys rotate</c>).
    /// </summary>
    public TimeSpan OidcKeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long replaced OpenID Connect keys stay accepted (longer than refresh tokens live, 14 days).</summary>
    public TimeSpan OidcKeyRetireAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Roles that must use TOTP (DESIGN.md): enrolment at first sign-in.</summary>
    public static readonly IReadOnlyList<string> MfaRoles = [Roles.SystemAdmin, Roles.NationalViewer, Roles.CountyAdmin];
}
