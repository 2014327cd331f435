using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Client.AspNetCore;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Sso;
using VagaVaraDigital.Api.Identity.Store;
using VagaVaraDigital.Api.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace VagaVaraDigital.Api.Features.Identity;

/// <summary>
/// Municipal staff sign in with their organisation's OpenID Connect provider (OpenIddict's client): start (after
/// home-realm discovery) and the provider's own callback. The account is keyed by (provider, subject) — never by
/// e-mail alone; the first sign-in provisions a MunicipalUser of the municipality the e-mail domain maps to; a
/// domain that maps to nothing is refused. Sign-ins and refusals go to the county's audit log.
/// </summary>
public static class SsoSignInApi
{
    public static IEndpointRouteBuilder MapSsoSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/auth/sso/{providerId:guid}/start", Start).WithTags("Inloggning").AllowAnonymous()
            .RequireRateLimiting(PlatformIdentity.SignInRateLimit)
            .WithName("StartSsoSignIn").WithSummary("Till kommunens inloggning (omdirigering)");
        app.MapGet("/signin-oidc/{registrationId}", Callback).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    static async Task<IResult> Start(Guid providerId, string? login_hint, SsoCatalog catalog, CancellationToken ct)
    {
        var provider = await catalog.FindAsync(providerId, ct);
        if (provider is null) return Problems.NotFound("Inloggningstjänsten finns inte");
        var properties = new AuthenticationProperties { RedirectUri = "/" };
        properties.Items[OpenIddictClientAspNetCoreConstants.Properties.RegistrationId] = provider.RegistrationId;
        if (!string.IsNullOrWhiteSpace(login_hint)) properties.Items[OpenIddictClientAspNetCoreConstants.Properties.LoginHint] = login_hint.Trim();
        return Results.Challenge(properties, [OpenIddictClientAspNetCoreDefaults.AuthenticationScheme]);
    }

    static async Task<IResult> Callback(string registrationId, HttpContext http, SsoCatalog catalog, UserManager<PlatformUser> users,
        SignInManager<PlatformUser> signIn, Accounts accounts, TenantStore tenants, ILogger<SsoProvider> logger, CancellationToken ct)
    {
        // An address no provider owns is not a redirection endpoint: OpenIddict would throw, so answer before asking it.
        var provider = await catalog.FindByRegistrationIdAsync(registrationId, ct);
        if (provider is null)
            return Problems.Result(StatusCodes.Status400BadRequest, "sso_failed", "Inloggningen kunde inte slutföras", "Börja om från inloggningssidan.");
        var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            // Tampered or replayed state, a response from another issuer, an error from the provider.
            logger.LogWarning(result.Failure, "SSO callback refused for registration {RegistrationId}", registrationId);
            await accounts.AuditAsync(null, "user.sso_refused", new { provider = provider.Id, reason = "invalid_response" }, ct, provider.TenantId);
            return Problems.Result(StatusCodes.Status400BadRequest, "sso_failed", "Inloggningen kunde inte slutföras",
                "Svaret från inloggningstjänsten var ogiltigt eller för gammalt. Börja om från inloggningssidan.");
        }
        var principal = result.Principal;
        // The registration that started the flow (from the protected state) must be this callback's: one redirect URI per provider.
        if (principal.FindFirst(Claims.Private.RegistrationId)?.Value is { } started && started != provider.RegistrationId)
        {
            await accounts.AuditAsync(null, "user.sso_refused", new { provider = provider.Id, reason = "registration_mismatch" }, ct, provider.TenantId);
            return Problems.Result(StatusCodes.Status400BadRequest, "sso_failed", "Inloggningen kunde inte slutföras", "Börja om från inloggningssidan.");
        }
        var subject = principal.FindFirst(Claims.Subject)?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var email = principal.FindFirst(Claims.Email)?.Value ?? principal.FindFirst(ClaimTypes.Email)?.Value;
        var domain = SsoCatalog.DomainOf(email);
        if (subject is null || domain is null || !provider.MunicipalityByDomain.TryGetValue(domain, out var municipality))
        {
            await accounts.AuditAsync(null, "user.sso_refused", new { provider = provider.Id, reason = "domain_not_mapped", domain }, ct, provider.TenantId);
            return Problems.Result(StatusCodes.Status403Forbidden, "sso_domain_not_mapped", "Din organisation är inte ansluten",
                $"E-postdomänen {domain ?? "(saknas)"} hör inte till någon kommun som länsstyrelsen har kopplat till den här inloggningen. Kontakta länsstyrelsen.");
        }

        var user = await users.FindByLoginAsync(provider.RegistrationId, subject);
        if (user is null)
        {
            user = new PlatformUser
            {
                UserName = $"sso-{Guid.NewGuid():N}", Email = email, EmailConfirmed = true, Role = Roles.MunicipalUser, TenantId = provider.TenantId,
                MunicipalityCode = municipality, DisplayName = principal.FindFirst(Claims.Name)?.Value, CreatedAt = DateTime.UtcNow,
            };
            var created = await users.CreateAsync(user);
            if (created.Succeeded) created = await users.AddLoginAsync(user, new UserLoginInfo(provider.RegistrationId, subject, provider.DisplayName));
            if (!created.Succeeded)
            {
                await accounts.AuditAsync(null, "user.sso_refused", new { provider = provider.Id, reason = "account_conflict" }, ct, provider.TenantId);
                return Problems.Result(StatusCodes.Status409Conflict, "sso_account_conflict", "Det finns redan ett konto med den e-postadressen",
                    "Kontakta länsstyrelsen så att kontona kan kopplas ihop.");
            }
            await accounts.AuditAsync(user, "user.provisioned", new { provider = provider.Id, municipality }, ct);
        }
        else if (!user.IsActive || user.TenantId != provider.TenantId)
        {
            await accounts.AuditAsync(user, "user.sso_refused", new { provider = provider.Id, reason = "inactive" }, ct, provider.TenantId);
            return Problems.Result(StatusCodes.Status403Forbidden, "account_inactive", "Kontot är avstängt", "Kontakta länsstyrelsen.");
        }
        else if (user.MunicipalityCode != municipality || user.Email != email)
        {
            user.MunicipalityCode = municipality;
            user.Email = email;
            await users.UpdateAsync(user);
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "external"), new Claim("idp", provider.RegistrationId)]);
        user.LastSignInAt = DateTime.UtcNow;
        await users.UpdateAsync(user);
        await accounts.AuditAsync(user, "user.signed_in", new { method = "sso", provider = provider.Id }, ct);
        var slug = (await tenants.FindByIdAsync(provider.TenantId, ct))?.Slug;
        return Results.Redirect(slug is null ? "/" : $"/t/{slug}/");
    }
}
