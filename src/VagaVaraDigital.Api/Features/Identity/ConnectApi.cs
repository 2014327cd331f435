using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace VagaVaraDigital.Api.Features.Identity;

/// <summary>
/// The OpenID Connect server's own endpoints (OpenIddict serves discovery and JWKS itself): the token endpoint
/// for client credentials, authorization code + PKCE and refresh tokens, the authorization endpoint for signed-in
/// users of registered interactive clients, and end session.
/// Access tokens carry the subject and the scopes only, never roles or tenant: a bearer token opens exactly the
/// endpoints whose policy asks for a scope (the national reach API, <c>reach.read</c>).
/// </summary>
public static class ConnectApi
{
    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").WithTags("OpenID Connect").ExcludeFromDescription().AllowAnonymous();
        connect.MapPost("/token", Token);
        connect.MapGet("/authorize", Authorize);
        connect.MapGet("/endsession", (Delegate)EndSession);
        return app;
    }

    static async Task<IResult> Token(HttpContext http, IOpenIddictApplicationManager applications, UserManager<PlatformUser> users)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!) ?? throw new InvalidOperationException("Unknown client.");
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application));
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = result.Principal?.GetClaim(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
            if (user is null || !user.IsActive)
            {
                return Forbid(Errors.InvalidGrant, "Kontot finns inte längre eller är avstängt.");
            }
            var identity = UserIdentity(user, result.Principal!.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "Flödet stöds inte.");
    }

    static async Task<IResult> Authorize(HttpContext http, UserManager<PlatformUser> users)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None)) return Forbid(Errors.LoginRequired, "Inloggning krävs.");
            // The SPA's sign-in page; it returns here after signing in.
            var returnUrl = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
            return Results.Redirect($"/logga-in?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }
        var user = await users.GetUserAsync(session.Principal!);
        if (user is null || !user.IsActive) return Forbid(Errors.AccessDenied, "Kontot är avstängt.");

        // National data only for national roles, whatever the client asks for.
        var scopes = request.GetScopes().Where(s => s != OidcServer.ReachReadScope || Roles.CrossTenant.Contains(user.Role)).ToArray();
        return Results.SignIn(new ClaimsPrincipal(UserIdentity(user, scopes)), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    static async Task<IResult> EndSession(HttpContext http)
    {
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>A user's identity for tokens: profile claims go to the id token only; access tokens get subject and scopes.</summary>
    static ClaimsIdentity UserIdentity(PlatformUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName ?? user.Email)
            .SetClaim(Claims.Role, user.Role)
            .SetClaim(VvdClaims.Tenant, user.TenantId)
            .SetClaim(VvdClaims.Municipality, user.MunicipalityCode);
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
            Claims.Name when identity.HasScope(Scopes.Profile) => [Destinations.IdentityToken],
            Claims.Email when identity.HasScope(Scopes.Email) => [Destinations.IdentityToken],
            Claims.Role or VvdClaims.Tenant or VvdClaims.Municipality when identity.HasScope(Scopes.Profile) => [Destinations.IdentityToken],
            _ => [],
        });
        return identity;
    }

    static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
