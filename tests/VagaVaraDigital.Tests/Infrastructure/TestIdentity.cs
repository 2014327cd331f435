using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Tests.Infrastructure;

/// <summary>
/// A test identity carried in <c>Authorization: Test role=…;tenant=…;municipality=…;id=…;scope=…</c>, put on the
/// request before the platform's pipeline runs. Shared by the integration and browser tests (linked file).
/// </summary>
public static class TestIdentity
{
    public const string SchemeName = "Test";

    public static IServiceCollection AddTestIdentity(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, Handler>(SchemeName, _ => { });
        services.AddTransient<IStartupFilter, StartupFilter>();
        return services;
    }

    sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.Authorization.ToString().StartsWith(SchemeName + " ", StringComparison.Ordinal))
                {
                    var result = await context.AuthenticateAsync(SchemeName);
                    if (result.Succeeded) context.User = result.Principal;
                }
                await nextMiddleware(context);
            });
            next(app);
        };
    }

    sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith(SchemeName + " ", StringComparison.Ordinal)) return Task.FromResult(AuthenticateResult.NoResult());
            var parts = header[(SchemeName.Length + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[1].Length > 0).ToDictionary(p => p[0], p => p[1]);
            var claims = new List<Claim>
            {
                new(ClaimTypes.NameIdentifier, parts.GetValueOrDefault("id", "test")),
                new(ClaimTypes.Name, parts.GetValueOrDefault("id", "test")),
            };
            if (parts.TryGetValue("role", out var role)) claims.Add(new Claim(ClaimTypes.Role, role));
            if (parts.TryGetValue("tenant", out var tenant)) claims.Add(new Claim(VvdClaims.Tenant, tenant));
            if (parts.TryGetValue("municipality", out var m)) claims.Add(new Claim(VvdClaims.Municipality, m));
            if (parts.TryGetValue("scope", out var scope)) claims.Add(new Claim("scope", scope));   // client-credentials tokens
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
        }
    }
}
