using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace VagaVaraDigital.Api.Features.Identity;

/// <summary>
/// API clients of the OpenID Connect server, registered by SystemAdmin: machine clients (client credentials, a
/// secret shown once; e.g. Lantmäteriet's statistics system with scope <c>reach.read</c>) and interactive clients
/// (authorization code + PKCE, public, with their redirect URIs).
/// </summary>
public static class ApiClientsApi
{
    public sealed record ApiClient(string ClientId, string? DisplayName, string Kind, string[] Scopes, string[] RedirectUris);
    public sealed record NewApiClient(string? DisplayName, string? Kind, string[]? Scopes, string[]? RedirectUris);
    public sealed record CreatedApiClient(ApiClient Client, string? ClientSecret);

    static readonly string[] MachineScopes = [OidcServer.ReachReadScope];
    static readonly string[] InteractiveScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, OidcServer.ReachReadScope];

    public static IEndpointRouteBuilder MapApiClientEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system/api-clients").WithTags("API-klienter").RequireAuthorization(Policies.SystemAdmin);
        group.MapGet("/", List).WithName("ListApiClients").WithSummary("Registrerade API-klienter");
        group.MapPost("/", Create).WithName("CreateApiClient").WithSummary("Registrera en maskinklient eller interaktiv klient");
        group.MapDelete("/{clientId}", Delete).WithName("DeleteApiClient").WithSummary("Ta bort en API-klient");
        return app;
    }

    static async Task<ApiClient> ViewAsync(IOpenIddictApplicationManager apps, object app, CancellationToken ct)
    {
        var permissions = await apps.GetPermissionsAsync(app, ct);
        return new ApiClient((await apps.GetClientIdAsync(app, ct))!, await apps.GetDisplayNameAsync(app, ct),
            permissions.Contains(Permissions.GrantTypes.ClientCredentials) ? "machine" : "interactive",
            permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..]).ToArray(),
            (await apps.GetRedirectUrisAsync(app, ct)).ToArray());
    }

    static async Task<Ok<ApiClient[]>> List(IOpenIddictApplicationManager apps, CancellationToken ct)
    {
        var list = new List<ApiClient>();
        await foreach (var app in apps.ListAsync(null, null, ct)) list.Add(await ViewAsync(apps, app, ct));
        return TypedResults.Ok(list.OrderBy(c => c.DisplayName).ToArray());
    }

    static async Task<Results<Created<CreatedApiClient>, ValidationProblem>> Create(NewApiClient input, IOpenIddictApplicationManager apps,
        ILogger<NewApiClient> logger, CurrentUser current, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var machine = input.Kind == "machine";
        if (input.Kind is not ("machine" or "interactive")) errors["kind"] = ["Välj machine (klientuppgifter) eller interactive (kod + PKCE)."];
        if (string.IsNullOrWhiteSpace(input.DisplayName) || input.DisplayName.Length > 200) errors["displayName"] = ["Ange ett namn på högst 200 tecken."];
        var allowed = machine ? MachineScopes : InteractiveScopes;
        var scopes = (input.Scopes ?? []).Distinct().ToArray();
        if (scopes.Length == 0 || scopes.Any(s => !allowed.Contains(s))) errors["scopes"] = [$"Tillåtna behörigheter: {string.Join(", ", allowed)}."];
        var redirects = (input.RedirectUris ?? []).Distinct().ToArray();
        if (!machine && (redirects.Length == 0 || redirects.Any(r => !Uri.TryCreate(r, UriKind.Absolute, out var u)
                || !(u.Scheme == Uri.UriSchemeHttps || (u.Scheme == Uri.UriSchemeHttp && u.IsLoopback)) || u.Fragment.Length > 0)))
            errors["redirectUris"] = ["Ange minst en https-adress (http bara för localhost), utan #fragment."];
        if (machine && redirects.Length > 0) errors["redirectUris"] = ["En maskinklient har inga omdirigeringsadresser."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = $"vvd-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}",
            DisplayName = input.DisplayName!.Trim(),
            ClientType = machine ? ClientTypes.Confidential : ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
        };
        string? secret = null;
        if (machine)
        {
            secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            descriptor.ClientSecret = secret;
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        }
        else
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            foreach (var r in redirects) descriptor.RedirectUris.Add(new Uri(r));
        }
        descriptor.Permissions.UnionWith(scopes.Where(s => s != Scopes.OpenId).Select(s => Permissions.Prefixes.Scope + s));
        var app = await apps.CreateAsync(descriptor, ct);
        logger.LogInformation("Security event api_client.created {ClientId} by {UserId}", descriptor.ClientId, current.Id);
        return TypedResults.Created($"/api/system/api-clients/{descriptor.ClientId}", new CreatedApiClient(await ViewAsync(apps, app, ct), secret));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string clientId, IOpenIddictApplicationManager apps,
        ILogger<NewApiClient> logger, CurrentUser current, CancellationToken ct)
    {
        var app = await apps.FindByClientIdAsync(clientId, ct);
        if (app is null) return Problems.NotFound("API-klienten finns inte");
        await apps.DeleteAsync(app, ct);
        logger.LogInformation("Security event api_client.deleted {ClientId} by {UserId}", clientId, current.Id);
        return TypedResults.NoContent();
    }
}
