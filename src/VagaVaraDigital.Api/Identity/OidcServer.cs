using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenIddict.Client;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;
using VagaVaraDigital.Api.Identity.Store;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace VagaVaraDigital.Api.Identity;

/// <summary>
/// OpenIddict: the platform's OpenID Connect server (discovery, JWKS, token and authorization endpoints;
/// client credentials for machine clients, authorization code + PKCE for interactive clients), the bearer
/// token validation for the API, and the client for municipal SSO (registrations from the database, see
/// <see cref="Sso.SsoCatalog"/>). Keys are RSA keys persisted in <c>oidc_keys</c> (<see cref="OidcKeyStore"/>).
/// </summary>
public static class OidcServer
{
    public const string BearerScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
    public const string ReachReadScope = "reach.read";

    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.Identity?.AuthenticationType is not null
        && user.FindAll(Claims.Private.Scope).Concat(user.FindAll(Claims.Scope))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope);

    public static IServiceCollection AddOidcServer(this IServiceCollection services, IConfiguration configuration)
    {
        var issuer = configuration[$"{PlatformIdentityOptions.Section}:Issuer"];
        var development = string.Equals(configuration["ASPNETCORE_ENVIRONMENT"] ?? configuration["DOTNET_ENVIRONMENT"], "Development", StringComparison.OrdinalIgnoreCase)
            || configuration.GetValue<bool>($"{PlatformIdentityOptions.Section}:{nameof(PlatformIdentityOptions.OidcAllowHttp)}");
        services.AddSingleton<OidcKeyStore>();
        services.AddSingleton<Microsoft.AspNetCore.Authentication.IClaimsTransformation, ScopeClaims>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureServerKeys>();
        services.AddSingleton<IConfigureOptions<OpenIddictClientOptions>, ConfigureClientKeys>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => new RetryKeysChangeTokenSource<OpenIddictServerOptions>(sp.GetRequiredService<OidcKeyStore>()));
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictClientOptions>>(sp => new RetryKeysChangeTokenSource<OpenIddictClientOptions>(sp.GetRequiredService<OidcKeyStore>()));

        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(o =>
            {
                if (!string.IsNullOrWhiteSpace(issuer)) o.SetIssuer(new Uri(issuer));
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession");
                o.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, ReachReadScope);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(30));
                var aspNetCore = o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (development) aspNetCore.DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
            })
            // Municipal SSO: registrations come from the database (Sso/SsoClientRegistrations.cs, docs/decisions/0013).
            .AddClient(o =>
            {
                o.AllowAuthorizationCodeFlow();
                // The base path; each provider adds its own "signin-oidc/{registration id}" (OpenIddict needs one even with none).
                o.SetRedirectionEndpointUris("signin-oidc");
                var aspNetCore = o.UseAspNetCore().EnableRedirectionEndpointPassthrough();
                if (development) aspNetCore.DisableTransportSecurityRequirement();
                o.UseSystemNetHttp();
            });
        services.AddSingleton<IConfigureOptions<OpenIddictClientOptions>, Sso.SsoClientRegistrations>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictClientOptions>, Sso.SsoClientRegistrations.ChangeTokenSource>();
        return services;
    }

    sealed class ConfigureServerKeys(OidcKeyStore keys) : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions options)
        {
            var (signing, encryption) = keys.Load();
            options.SigningCredentials.AddRange(signing.Select(k => new SigningCredentials(k, SecurityAlgorithms.RsaSha256)));
            options.EncryptionCredentials.AddRange(encryption.Select(k =>
                new EncryptingCredentials(k, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512)));
        }
    }

    sealed class ConfigureClientKeys(OidcKeyStore keys) : IConfigureOptions<OpenIddictClientOptions>
    {
        public void Configure(OpenIddictClientOptions options)
        {
            var (signing, encryption) = keys.Load();
            options.SigningCredentials.AddRange(signing.Select(k => new SigningCredentials(k, SecurityAlgorithms.RsaSha256)));
            options.EncryptionCredentials.AddRange(encryption.Select(k =>
                new EncryptingCredentials(k, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512)));
        }
    }
}

/// <summary>
/// A validated bearer token lists its scopes as OpenIddict's private <c>oi_scp</c> claims; features check the
/// standard <c>scope</c> claim (e.g. the national reach API's policy), so it is added here.
/// </summary>
sealed class ScopeClaims : Microsoft.AspNetCore.Authentication.IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is ClaimsIdentity identity && identity.HasClaim(c => c.Type == Claims.Private.Scope) && !identity.HasClaim(c => c.Type == Claims.Scope))
        {
            foreach (var scope in identity.FindAll(Claims.Private.Scope).Select(c => c.Value).ToArray())
                identity.AddClaim(new Claim(Claims.Scope, scope));
        }
        return Task.FromResult(principal);
    }
}

/// <summary>While the keys could not be read (database not migrated yet), options are rebuilt every few seconds.</summary>
sealed class RetryKeysChangeTokenSource<T>(OidcKeyStore keys) : IOptionsChangeTokenSource<T>
{
    public string? Name => Options.DefaultName;

    public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => keys.Degraded
        ? new Microsoft.Extensions.Primitives.CancellationChangeToken(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token)
        : Microsoft.Extensions.FileProviders.NullChangeToken.Singleton;
}

/// <summary>
/// The RSA keys of the OpenID Connect server and client, persisted in <c>oidc_keys</c> (PEM protected with Data
/// Protection, whose keys are in PostgreSQL too): every instance and every restart signs and decrypts with the
/// same keys. The first instance to start creates them (under an advisory lock).
/// </summary>
public sealed class OidcKeyStore(NpgsqlDataSource dataSource, IDataProtectionProvider dataProtection, ILogger<OidcKeyStore> logger)
{
    readonly IDataProtector _protector = dataProtection.CreateProtector("vvd.oidc-keys.v1");
    readonly Lock _lock = new();
    (RsaSecurityKey[] Signing, RsaSecurityKey[] Encryption)? _loaded;

    public (RsaSecurityKey[] Signing, RsaSecurityKey[] Encryption) Load()
    {
        lock (_lock)
        {
            if (_loaded is { } loaded) return loaded;
            try
            {
                _loaded = LoadOrCreate();
                Degraded = false;
                return _loaded.Value;
            }
            catch (Exception e) when (e is NpgsqlException or System.Security.Cryptography.CryptographicException)
            {
                // Not migrated yet (or the database is away): throwaway keys until the next attempt; no token
                // issued with them survives, which is what a not-ready instance deserves.
                logger.LogError(e, "OpenID Connect keys could not be loaded; using temporary keys until the next attempt");
                Degraded = true;
                return ([new RsaSecurityKey(RSA.Create(2048)) { KeyId = "temporary-sig" }], [new RsaSecurityKey(RSA.Create(2048)) { KeyId = "temporary-enc" }]);
            }
        }
    }

    /// <summary>True while the persisted keys could not be read.</summary>
    public bool Degraded { get; private set; }

    (RsaSecurityKey[], RsaSecurityKey[]) LoadOrCreate()
    {
        using var conn = dataSource.OpenConnection();
        using var tx = conn.BeginTransaction();
        conn.Execute("SELECT pg_advisory_xact_lock(hashtext('vvd.oidc_keys'))", transaction: tx);
        var rows = conn.Query<(string Id, string Use, string ProtectedPem)>(
            "SELECT id, use, protected_pem FROM oidc_keys WHERE retired_at IS NULL ORDER BY created_at DESC", transaction: tx).ToList();
        foreach (var use in new[] { "sig", "enc" })
        {
            if (rows.Any(r => r.Use == use)) continue;
            using var rsa = RSA.Create(2048);
            var id = $"{use}-{Guid.NewGuid():N}";
            var protectedPem = _protector.Protect(rsa.ExportPkcs8PrivateKeyPem());
            conn.Execute("INSERT INTO oidc_keys (id, use, protected_pem) VALUES (@id, @use, @protectedPem)", new { id, use, protectedPem }, tx);
            rows.Add((id, use, protectedPem));
        }
        tx.Commit();
        RsaSecurityKey Key((string Id, string Use, string ProtectedPem) row)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(_protector.Unprotect(row.ProtectedPem));
            return new RsaSecurityKey(rsa) { KeyId = row.Id };
        }
        return (rows.Where(r => r.Use == "sig").Select(Key).ToArray(), rows.Where(r => r.Use == "enc").Select(Key).ToArray());
    }
}
