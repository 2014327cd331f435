using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

// A municipality's identity provider, for tests only: plain HTTP on loopback, in-memory store, and an
// authorization endpoint that signs in whoever the login_hint names (the test plays the user).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddDbContext<ProviderDb>(o => o.UseInMemoryDatabase("provider").UseOpenIddict());
builder.Services.AddOpenIddict()
    .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
    .AddServer(o =>
    {
        o.SetAuthorizationEndpointUris("authorize").SetTokenEndpointUris("token").SetUserInfoEndpointUris("userinfo");
        o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
        o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
        o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
        o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableUserInfoEndpointPassthrough().DisableTransportSecurityRequirement();
    });
var app = builder.Build();

app.MapGet("/authorize", (HttpContext http) =>
{
    var request = http.GetOpenIddictServerRequest()!;
    var email = request.LoginHint ?? "okand@example.org";
    var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
    identity.SetClaim(Claims.Subject, "sub-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email)))[..16])
        .SetClaim(Claims.Email, email)
        .SetClaim(Claims.Name, email.Split('@')[0]);
    identity.SetScopes(request.GetScopes());
    identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
    return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
});

app.MapGet("/userinfo", async (HttpContext http) =>
{
    var user = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
    return Results.Ok(new Dictionary<string, string?>
    {
        [Claims.Subject] = user.FindFirst(Claims.Subject)?.Value,
        [Claims.Email] = user.FindFirst(Claims.Email)?.Value,
    });
});

// The test registers the platform as a client once it knows the platform's redirect URI.
app.MapPost("/test/clients", async (ClientSpec spec, IOpenIddictApplicationManager apps) =>
{
    await apps.CreateAsync(new OpenIddictApplicationDescriptor
    {
        ClientId = spec.ClientId,
        ClientSecret = spec.ClientSecret,
        ClientType = ClientTypes.Confidential,
        RedirectUris = { new Uri(spec.RedirectUri) },
        Permissions =
        {
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
            Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile,
        },
    });
    return Results.NoContent();
});

app.Run();

sealed record ClientSpec(string ClientId, string ClientSecret, string RedirectUri);

sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
