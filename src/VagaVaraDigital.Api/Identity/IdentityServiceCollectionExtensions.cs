using Microsoft.AspNetCore.Authentication.Cookies;
using VagaVaraDigital.Api.Hosting;

namespace VagaVaraDigital.Api.Identity;

public static class IdentityServiceCollectionExtensions
{
    public const string CookieName = "__Host-vvd";

    /// <summary>The SPA's cookie session and the role policies of DESIGN.md.</summary>
    public static IServiceCollection AddPlatformIdentity(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.Path = "/";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                // An API answers 401/403 problems, never a redirect to a login page.
                o.Events.OnRedirectToLogin = ctx => Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized,
                    "unauthenticated", "Du behöver logga in");
                o.Events.OnRedirectToAccessDenied = ctx => Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden,
                    "forbidden", "Ingen behörighet", "Din roll får inte göra det här.");
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SystemAdmin, p => p.RequireRole(Roles.SystemAdmin))
            .AddPolicy(Policies.CountyAdmin, p => p.RequireRole(Roles.CountyAdmin, Roles.SystemAdmin))
            .AddPolicy(Policies.CountyStaff, p => p.RequireRole(Roles.CountyAdmin, Roles.CountyEditor, Roles.SystemAdmin))
            .AddPolicy(Policies.TenantMember, p => p.RequireRole(Roles.CountyAdmin, Roles.CountyEditor, Roles.SystemAdmin, Roles.MunicipalUser))
            .AddPolicy(Policies.National, p => p.RequireRole(Roles.NationalViewer, Roles.SystemAdmin));
        return services;
    }
}
