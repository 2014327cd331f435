using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace VagaVaraDigital.Api.Features.Identity;

/// <summary>
/// API clients of the OpenID Connect server, registered by SystemAdmin: machine clients (client credentials, a
/// secret shown once; e.g. Lantmäteriet's statistics system with scope <c>reach.read</c>) and interactive clients
/// (authorization code + PKCE always; public — a native or browser app without a secret — or confidential — a web
/// application with a secret shown once; redirect and post-logout redirect URIs: https, or http to the loopback
/// interface for a public native app, RFC 8252 §7.3).
/// </summary>
public static class ApiClientsApi
{
    public sealed record ApiClient(string ClientId, string? DisplayName, string Kind, string ClientType, string[] Scopes, string[] RedirectUris,
        string[] PostLogoutRedirectUris);
    /// <param name="Confidential">Interactive clients only: true = a web application with a secret; false/absent = public (no secret).</param>
    public sealed record NewApiClient(string? DisplayName, string? Kind, string[]? Scopes, string[]? RedirectUris,
        string[]? PostLogoutRedirectUris = null, bool? Confidential = null);
    public sealed record CreatedApiClient(ApiClient Client, string? ClientSecret);
    /// <summary>An interactive client's addresses, replaced as a whole (the list the client should have).</summary>
    public sealed record ApiClientAddresses(string[]? RedirectUris, string[]? PostLogoutRedirectUris);

    static readonly string[] MachineScopes = [OidcServer.ReachReadScope];
    static readonly string[] InteractiveScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, OidcServer.ReachReadScope];

    public static IEndpointRouteBuilder MapApiClientEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system/api-clients").WithTags("API-klienter").RequireAuthorization(Policies.SystemAdmin);
        group.MapGet("/", List).WithName("ListApiClients").WithSummary("Registrerade API-klienter");
        group.MapPost("/", Create).WithName("CreateApiClient").WithSummary("Registrera en maskinklient eller interaktiv klient");
        group.MapPut("/{clientId}/addresses", UpdateAddresses).WithName("UpdateApiClientAddresses")
            .WithSummary("Ändra en interaktiv klients omdirigeringsadresser och adresser efter utloggning");
        group.MapPost("/{clientId}/secret", RotateSecret).WithName("RotateApiClientSecret")
            .WithSummary("Ge en konfidentiell klient en ny hemlighet (visas en gång; den gamla slutar gälla direkt)");
        group.MapDelete("/{clientId}", Delete).WithName("DeleteApiClient").WithSummary("Ta bort en API-klient");
        return app;
    }

    static async Task<ApiClient> ViewAsync(IOpenIddictApplicationManager apps, object app, CancellationToken ct)
    {
        var permissions = await apps.GetPermissionsAsync(app, ct);
        return new ApiClient((await apps.GetClientIdAsync(app, ct))!, await apps.GetDisplayNameAsync(app, ct),
            permissions.Contains(Permissions.GrantTypes.ClientCredentials) ? "machine" : "interactive",
            await apps.GetClientTypeAsync(app, ct) ?? ClientTypes.Public,
            permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..]).ToArray(),
            (await apps.GetRedirectUrisAsync(app, ct)).ToArray(),
            (await apps.GetPostLogoutRedirectUrisAsync(app, ct)).ToArray());
    }

    static async Task<Ok<ApiClient[]>> List(IOpenIddictApplicationManager apps, CancellationToken ct)
    {
        var list = new List<ApiClient>();
        await foreach (var app in apps.ListAsync(null, null, ct)) list.Add(await ViewAsync(apps, app, ct));
        return TypedResults.Ok(list.OrderBy(c => c.DisplayName).ToArray());
    }

    static async Task<Results<Created<CreatedApiClient>, ValidationProblem>> Create(NewApiClient input, IOpenIddictApplicationManager apps,
        ILogger<NewApiClient> logger, CurrentUser current, Db db, AuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var machine = input.Kind == "machine";
        if (input.Kind is not ("machine" or "interactive")) errors["kind"] = ["Välj machine (klientuppgifter) eller interactive (kod + PKCE)."];
        if (string.IsNullOrWhiteSpace(input.DisplayName) || input.DisplayName.Length > 200) errors["displayName"] = ["Ange ett namn på högst 200 tecken."];
        var allowed = machine ? MachineScopes : InteractiveScopes;
        var scopes = (input.Scopes ?? []).Distinct().ToArray();
        if (scopes.Length == 0 || scopes.Any(s => !allowed.Contains(s))) errors["scopes"] = [$"Tillåtna behörigheter: {string.Join(", ", allowed)}."];
        var publicClient = !machine && input.Confidential != true;
        var redirects = Clean(input.RedirectUris);
        var postLogout = Clean(input.PostLogoutRedirectUris);
        if (machine)
        {
            if (redirects.Length > 0) errors["redirectUris"] = ["En maskinklient har inga omdirigeringsadresser."];
            if (postLogout.Length > 0) errors["postLogoutRedirectUris"] = ["En maskinklient har inga adresser efter utloggning."];
            if (input.Confidential == false) errors["confidential"] = ["En maskinklient är alltid konfidentiell (den har en hemlighet)."];
        }
        else
        {
            var redirectProblems = redirects.Length == 0 ? ["Ange minst en omdirigeringsadress."] : UriProblems(redirects, publicClient);
            if (redirectProblems.Length > 0) errors["redirectUris"] = redirectProblems;
            var postLogoutProblems = UriProblems(postLogout, publicClient);
            if (postLogoutProblems.Length > 0) errors["postLogoutRedirectUris"] = postLogoutProblems;
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = $"vvd-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}",
            DisplayName = input.DisplayName!.Trim(),
            ClientType = publicClient ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
        };
        string? secret = null;
        if (!publicClient)
        {
            secret = NewSecret();
            descriptor.ClientSecret = secret;
        }
        if (machine)
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        }
        else
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            foreach (var r in redirects) descriptor.RedirectUris.Add(new Uri(r));
            foreach (var r in postLogout) descriptor.PostLogoutRedirectUris.Add(new Uri(r));
        }
        descriptor.Permissions.UnionWith(scopes.Where(s => s != Scopes.OpenId).Select(s => Permissions.Prefixes.Scope + s));
        // The record is written in a transaction that commits only once the client exists (ids and kinds only).
        await using var uow = await db.BeginGlobalAsync(ct);
        await audit.RecordPlatformAsync(uow, "api_client.created", $"api_client:{descriptor.ClientId}",
            new { kind = machine ? "machine" : "interactive", clientType = descriptor.ClientType, scopes }, ct);
        var app = await apps.CreateAsync(descriptor, ct);
        await uow.CommitAsync(ct);
        logger.LogInformation("Security event api_client.created {ClientId} by {UserId}", descriptor.ClientId, current.Id);
        return TypedResults.Created($"/api/system/api-clients/{descriptor.ClientId}", new CreatedApiClient(await ViewAsync(apps, app, ct), secret));
    }

    static string[] Clean(string[]? uris) => (uris ?? []).Select(u => u?.Trim() ?? "").Where(u => u.Length > 0).Distinct().ToArray();

    const int MaxUris = 20;

    /// <summary>A clear Swedish message per address that may not be used; empty when all are fine.</summary>
    internal static string[] UriProblems(string[] uris, bool publicClient)
    {
        var problems = uris.Select(u => UriProblem(u, publicClient)).OfType<string>().ToList();
        if (uris.Length > MaxUris) problems.Add($"Ange högst {MaxUris} adresser.");
        return [.. problems];
    }

    static string? UriProblem(string uri, bool publicClient)
    {
        if (uri.Length > 2000) return $"”{uri[..40]}…” är för lång (högst 2 000 tecken).";
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || (u.IsFile && !uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            || (u.Host.Length == 0 && u.Scheme is "http" or "https"))
            return $"”{uri}” är ingen fullständig adress. Skriv hela adressen, till exempel https://verktyg.example.se/callback.";
        if (u.Scheme == Uri.UriSchemeHttp)
        {
            if (!u.IsLoopback) return $"”{uri}” använder http. Använd https — http är bara tillåtet till den egna datorn (127.0.0.1, [::1] eller localhost) för en inbyggd app.";
            if (!publicClient) return $"”{uri}” använder http till den egna datorn. Det är bara tillåtet för en publik klient (inbyggd app); en konfidentiell klient behöver https.";
        }
        else if (u.Scheme != Uri.UriSchemeHttps)
            return $"”{uri}” använder ”{u.Scheme}:”. Bara https är tillåtet (och http till den egna datorn för en inbyggd app).";
        if (u.Fragment.Length > 0 || uri.Contains('#')) return $"”{uri}” får inte innehålla ett #fragment.";
        if (u.UserInfo.Length > 0) return $"”{uri}” får inte innehålla användarnamn eller lösenord.";
        return null;
    }

    /// <summary>
    /// Replaces an interactive client's redirect and post-logout redirect addresses, checked as at registration (https,
    /// or loopback http for a public client). A machine client has none: 409. Nothing changes when anything is wrong.
    /// </summary>
    static async Task<Results<Ok<ApiClient>, ValidationProblem, ProblemHttpResult>> UpdateAddresses(string clientId, ApiClientAddresses input,
        IOpenIddictApplicationManager apps, ILogger<NewApiClient> logger, CurrentUser current, Db db, AuditLog audit, CancellationToken ct)
    {
        var app = await apps.FindByClientIdAsync(clientId, ct);
        if (app is null) return Problems.NotFound("API-klienten finns inte");
        var view = await ViewAsync(apps, app, ct);
        if (view.Kind == "machine")
            return Problems.Conflict("machine_client", "En maskinklient har inga adresser",
                "Adresser för omdirigering och utloggning hör till interaktiva klienter.");
        var publicClient = view.ClientType == ClientTypes.Public;
        var redirects = Clean(input.RedirectUris);
        var postLogout = Clean(input.PostLogoutRedirectUris);
        var errors = new Dictionary<string, string[]>();
        var redirectProblems = redirects.Length == 0 ? ["Ange minst en omdirigeringsadress."] : UriProblems(redirects, publicClient);
        if (redirectProblems.Length > 0) errors["redirectUris"] = redirectProblems;
        var postLogoutProblems = UriProblems(postLogout, publicClient);
        if (postLogoutProblems.Length > 0) errors["postLogoutRedirectUris"] = postLogoutProblems;
        if (errors.Count > 0) return Problems.Validation(errors);
        if (redirects.SequenceEqual(view.RedirectUris) && postLogout.SequenceEqual(view.PostLogoutRedirectUris)) return TypedResults.Ok(view);

        var descriptor = new OpenIddictApplicationDescriptor();
        await apps.PopulateAsync(descriptor, app, ct);   // everything else (the hashed secret included) stays as it is
        descriptor.RedirectUris.Clear();
        descriptor.PostLogoutRedirectUris.Clear();
        foreach (var r in redirects) descriptor.RedirectUris.Add(new Uri(r));
        foreach (var r in postLogout) descriptor.PostLogoutRedirectUris.Add(new Uri(r));
        await using var uow = await db.BeginGlobalAsync(ct);
        await audit.RecordPlatformAsync(uow, "api_client.addresses_changed", $"api_client:{clientId}",
            new { redirectUris = redirects.Length, postLogoutRedirectUris = postLogout.Length }, ct);
        await apps.UpdateAsync(app, descriptor, ct);
        await uow.CommitAsync(ct);
        logger.LogInformation("Security event api_client.addresses_changed {ClientId} by {UserId}", clientId, current.Id);
        return TypedResults.Ok(await ViewAsync(apps, app, ct));
    }

    static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// A new secret for a confidential client (a machine client, or a web application): shown once in the answer, stored
    /// hashed; the old one stops working at once. A public client has no secret: 409.
    /// </summary>
    static async Task<Results<Ok<CreatedApiClient>, ProblemHttpResult>> RotateSecret(string clientId, IOpenIddictApplicationManager apps,
        ILogger<NewApiClient> logger, CurrentUser current, Db db, AuditLog audit, CancellationToken ct)
    {
        var app = await apps.FindByClientIdAsync(clientId, ct);
        if (app is null) return Problems.NotFound("API-klienten finns inte");
        if (await apps.GetClientTypeAsync(app, ct) != ClientTypes.Confidential)
            return Problems.Conflict("public_client", "En publik klient har ingen hemlighet",
                "Publika klienter (inbyggda appar och appar i webbläsaren) använder PKCE utan klienthemlighet.");
        var secret = NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor();
        await apps.PopulateAsync(descriptor, app, ct);
        descriptor.ClientSecret = secret;   // differs from the stored hash, so the manager hashes and stores the new one
        await using var uow = await db.BeginGlobalAsync(ct);
        await audit.RecordPlatformAsync(uow, "api_client.secret_rotated", $"api_client:{clientId}", null, ct);
        await apps.UpdateAsync(app, descriptor, ct);
        await uow.CommitAsync(ct);
        logger.LogInformation("Security event api_client.secret_rotated {ClientId} by {UserId}", clientId, current.Id);
        return TypedResults.Ok(new CreatedApiClient(await ViewAsync(apps, app, ct), secret));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string clientId, IOpenIddictApplicationManager apps,
        ILogger<NewApiClient> logger, CurrentUser current, Db db, AuditLog audit, CancellationToken ct)
    {
        var app = await apps.FindByClientIdAsync(clientId, ct);
        if (app is null) return Problems.NotFound("API-klienten finns inte");
        await using var uow = await db.BeginGlobalAsync(ct);
        await audit.RecordPlatformAsync(uow, "api_client.deleted", $"api_client:{clientId}", null, ct);
        await apps.DeleteAsync(app, ct);
        await uow.CommitAsync(ct);
        logger.LogInformation("Security event api_client.deleted {ClientId} by {UserId}", clientId, current.Id);
        return TypedResults.NoContent();
    }
}
