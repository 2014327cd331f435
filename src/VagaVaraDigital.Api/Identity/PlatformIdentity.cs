using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity.Store;

namespace VagaVaraDigital.Api.Identity;

public static class PlatformIdentity
{
    /// <summary>The SPA's session cookie (BFF): the only credential a browser holds.</summary>
    public const string CookieName = "__Host-vvd";
    public const string MfaCookieName = "__Host-vvd-mfa";
    public const string AntiforgeryCookieName = "__Host-vvd-af";
    public const string AntiforgeryHeaderName = "X-XSRF-TOKEN";

    /// <summary>Chooses the bearer token handler for "Authorization: Bearer …", else the session cookie.</summary>
    public const string DefaultScheme = "vvd";

    public const string SignInRateLimit = "sign-in";

    /// <summary>Accounts, sessions, MFA, the OpenID Connect server and client, and the role policies of DESIGN.md.</summary>
    public static IServiceCollection AddPlatformIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddOptions<PlatformIdentityOptions>().Bind(configuration.GetSection(PlatformIdentityOptions.Section))
            .Validate(o => o.SessionIdleTimeout > TimeSpan.Zero && o.SessionAbsoluteLifetime >= o.SessionIdleTimeout, "Identity: session times")
            .Validate(o => o.SignInPermitLimit > 0 && o.SignInAccountPermitLimit > 0 && o.LockoutMaxFailedAttempts > 0, "Identity: limits must be positive")
            .Validate(o => o.PublicOrigin.Length == 0 || Uri.IsWellFormedUriString(o.PublicOrigin, UriKind.Absolute), "Identity:PublicOrigin must be an absolute URL")
            .ValidateOnStart();
        var settings = configuration.GetSection(PlatformIdentityOptions.Section).Get<PlatformIdentityOptions>() ?? new PlatformIdentityOptions();

        // EF Core, only for the stores of Identity, OpenIddict and Data Protection (docs/decisions/0010).
        services.AddDbContext<IdentityDb>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()).UseOpenIddict());
        services.AddDataProtection().SetApplicationName("vaga-vara-digital").PersistKeysToDbContext<IdentityDb>();

        services.AddIdentityCore<PlatformUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters += "åäöÅÄÖ";
                o.Password.RequiredLength = 12;
                o.Password.RequiredUniqueChars = 1;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = settings.LockoutMaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = settings.LockoutDuration;
                o.SignIn.RequireConfirmedAccount = false;
                o.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.TokenName;
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<InvitationTokenProvider>(InvitationTokenProvider.TokenName)
            .AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.TokenName)
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddErrorDescriber<SwedishIdentityErrors>()
            .AddClaimsPrincipalFactory<PlatformClaimsFactory>();
        services.Configure<InvitationTokenProviderOptions>(o => { o.Name = InvitationTokenProvider.TokenName; o.TokenLifespan = settings.InvitationLifetime; });
        services.Configure<PasswordResetTokenProviderOptions>(o => { o.Name = PasswordResetTokenProvider.TokenName; o.TokenLifespan = settings.PasswordResetLifetime; });
        services.AddSingleton<MfaPolicy>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, ConfigureSessionCookie>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = DefaultScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(DefaultScheme, "Session cookie or bearer token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? OidcServer.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                HostCookie(o, CookieName);
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = settings.SessionIdleTimeout;
                // An API answers 401/403 problems, never a redirect to a login page.
                o.Events.OnRedirectToLogin = ctx => Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized,
                    "unauthenticated", "Du behöver logga in");
                o.Events.OnRedirectToAccessDenied = ctx => Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden,
                    "forbidden", "Ingen behörighet", "Din roll får inte göra det här.");
            })
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme, o =>
            {
                // Between the password and the second factor (or TOTP enrolment): nothing else is allowed with it.
                HostCookie(o, MfaCookieName);
                o.ExpireTimeSpan = TimeSpan.FromMinutes(10);
                o.SlidingExpiration = false;
            })
            .AddCookie(IdentityConstants.TwoFactorRememberMeScheme, o => HostCookie(o, "__Host-vvd-mfa-remember"));
        services.AddOidcServer(configuration);

        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeaderName;
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.HttpOnly = true;
            // SameAsRequest: antiforgery refuses "Always" on plain HTTP (loopback in development, the Hangfire
            // dashboard in tests); UseSessionAntiforgery marks every __Host- cookie Secure whatever the scheme.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/";
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, _) => await Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests,
                "rate_limited", "För många försök", "Vänta en stund och försök igen.");
            // The client's address: after the forwarded headers of the trusted ingress (Hosting/TrustedProxies.cs, ADR 0071).
            o.AddPolicy(SignInRateLimit, ctx =>
            {
                var limits = ctx.RequestServices.GetRequiredService<IOptions<PlatformIdentityOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignInPermitLimit, Window = limits.SignInWindow, QueueLimit = 0 });
            });
        });
        services.AddSingleton<SignInAccountLimiter>();

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SystemAdmin, p => p.RequireRole(Roles.SystemAdmin))
            .AddPolicy(Policies.CountyAdmin, p => p.RequireRole(Roles.CountyAdmin, Roles.SystemAdmin))
            .AddPolicy(Policies.CountyStaff, p => p.RequireRole(Roles.CountyAdmin, Roles.CountyEditor, Roles.SystemAdmin))
            .AddPolicy(Policies.TenantMember, p => p.RequireRole(Roles.CountyAdmin, Roles.CountyEditor, Roles.SystemAdmin, Roles.MunicipalUser))
            .AddPolicy(Policies.National, p => p.RequireRole(Roles.NationalViewer, Roles.SystemAdmin));
        // The national reach API's policy (Features/Reach) is the only one a client-credentials token satisfies.
        return services;
    }

    static void HostCookie(CookieAuthenticationOptions o, string name)
    {
        // __Host-: Secure, Path=/, no Domain. Plain HTTP works only on loopback, where browsers accept Secure cookies.
        o.Cookie.Name = name;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        o.Cookie.Path = "/";
        o.Cookie.Domain = null;
    }

    /// <summary>
    /// Antiforgery for the cookie session: every unsafe request that carries the session cookie (or the MFA
    /// cookie), and every sign-in step, must send the token from <c>GET /api/auth/session</c> in
    /// <c>X-XSRF-TOKEN</c>. Bearer-token clients hold no ambient credential and are not asked.
    /// </summary>
    public static IApplicationBuilder UseSessionAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var cookies = context.Response.Headers.SetCookie;
            if (cookies.Any(c => c is not null && c.StartsWith("__Host-", StringComparison.Ordinal) && !c.Contains("; secure", StringComparison.OrdinalIgnoreCase)))
            {
                context.Response.Headers.SetCookie = new Microsoft.Extensions.Primitives.StringValues(cookies.Select(c =>
                    c is not null && c.StartsWith("__Host-", StringComparison.Ordinal) && !c.Contains("; secure", StringComparison.OrdinalIgnoreCase)
                        ? c + "; secure" : c).ToArray());
            }
            return Task.CompletedTask;
        });
        var method = context.Request.Method;
        var unsafeMethod = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
        var cookies = context.Request.Cookies;
        var ambient = cookies.ContainsKey(CookieName) || cookies.ContainsKey(MfaCookieName);
        var signInStep = context.GetEndpoint()?.Metadata.GetMetadata<RequiresAntiforgeryAttribute>() is not null;
        if (unsafeMethod && (ambient || signInStep) && !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "antiforgery",
                    "Ogiltig säkerhetstoken", "Ladda om sidan och försök igen.");
                return;
            }
        }
        await next(context);
    });
}

/// <summary>Endpoint metadata: antiforgery is required even without a session (sign-in steps, against login CSRF).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RequiresAntiforgeryAttribute : Attribute;

public sealed class InvitationTokenProviderOptions : DataProtectionTokenProviderOptions;

public sealed class PasswordResetTokenProviderOptions : DataProtectionTokenProviderOptions;

/// <summary>Invitation links (set a first password): valid for days, single use through the security stamp.</summary>
public sealed class InvitationTokenProvider(IDataProtectionProvider dp, IOptions<InvitationTokenProviderOptions> o, ILogger<DataProtectorTokenProvider<PlatformUser>> log)
    : DataProtectorTokenProvider<PlatformUser>(dp, o, log)
{
    public const string TokenName = "Invitation";
}

/// <summary>Password reset links: valid for hours, single use through the security stamp.</summary>
public sealed class PasswordResetTokenProvider(IDataProtectionProvider dp, IOptions<PasswordResetTokenProviderOptions> o, ILogger<DataProtectorTokenProvider<PlatformUser>> log)
    : DataProtectorTokenProvider<PlatformUser>(dp, o, log)
{
    public const string TokenName = "PasswordReset";
}
