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
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => new KeysChangeTokenSource<OpenIddictServerOptions>(sp.GetRequiredService<OidcKeyStore>()));
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictClientOptions>>(sp => new KeysChangeTokenSource<OpenIddictClientOptions>(sp.GetRequiredService<OidcKeyStore>()));
        // Bearer validation copies the server's keys when its options are built: rebuilt with them.
        // It is rebuilt after the server's options (an options monitor rebuilds at once when its token fires).
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddict.Validation.OpenIddictValidationOptions>>(sp =>
            new KeysChangeTokenSource<OpenIddict.Validation.OpenIddictValidationOptions>(sp.GetRequiredService<OidcKeyStore>(), afterServer: true));

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

/// <summary>
/// Options that hold the keys are rebuilt when the key store's set changes (rotation, activation, retirement), and
/// every few seconds while the keys could not be read (database not migrated yet).
/// </summary>
sealed class KeysChangeTokenSource<T>(OidcKeyStore keys, bool afterServer = false) : IOptionsChangeTokenSource<T>
{
    public string? Name => Options.DefaultName;

    public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => keys.GetChangeToken(afterServer);
}

/// <summary>
/// The RSA keys of the OpenID Connect server and client, persisted in <c>oidc_keys</c> (PEM protected with Data
/// Protection, whose keys are in PostgreSQL too): every instance and every restart signs and decrypts with the
/// same keys. The first instance to start creates them (under an advisory lock).
/// Rotation (<see cref="RotateAsync"/>, <c>vvd oidc-keys rotate</c>; docs/decisions/0016): a new key per use is
/// published at once (JWKS; accepted for validation and decryption) but signs and encrypts only from its
/// <c>activates_at</c>, when every instance has seen it; the old keys stay published and accepted until their
/// <c>retired_at</c>. Each instance re-reads the table every <see cref="PlatformIdentityOptions.OidcKeyRefreshInterval"/>
/// and rebuilds the OpenIddict options when the set or the current key changed.
/// </summary>
public sealed class OidcKeyStore : IDisposable
{
    public const string Signing = "sig", Encryption = "enc";

    readonly NpgsqlDataSource _dataSource;
    readonly TimeProvider _time;
    readonly ILogger<OidcKeyStore> _logger;
    readonly IDataProtector _protector;
    readonly Lock _lock = new();
    readonly ITimer? _timer;
    readonly TimeSpan _refreshInterval;
    Loaded? _loaded;
    CancellationTokenSource _changed = new(), _changedAfterServer = new();

    public OidcKeyStore(NpgsqlDataSource dataSource, IDataProtectionProvider dataProtection, TimeProvider time,
        IOptions<PlatformIdentityOptions> options, ILogger<OidcKeyStore> logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _protector = dataProtection.CreateProtector("vvd.oidc-keys.v1");
        var interval = _refreshInterval = options.Value.OidcKeyRefreshInterval;
        if (interval > TimeSpan.Zero) _timer = time.CreateTimer(_ => Refresh(), null, interval, interval);
    }

    sealed class KeyRow
    {
        public string Id { get; init; } = "";
        public string Use { get; init; } = "";
        public string ProtectedPem { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime ActivatesAt { get; init; }
        public DateTime? RetiredAt { get; init; }
    }

    sealed record Loaded(RsaSecurityKey[] Signing, RsaSecurityKey[] Encryption, string Fingerprint);

    /// <summary>True while the persisted keys could not be read.</summary>
    public bool Degraded { get; private set; }

    /// <summary>Fires when the keys to use changed (or, while degraded, after a few seconds to try again).</summary>
    public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken(bool afterServer = false) => Degraded
        ? new Microsoft.Extensions.Primitives.CancellationChangeToken(new CancellationTokenSource(TimeSpan.FromSeconds(afterServer ? 6 : 5)).Token)
        : new Microsoft.Extensions.Primitives.CancellationChangeToken((afterServer ? _changedAfterServer : _changed).Token);

    /// <summary>The published keys of each use, the current one (signs, encrypts) first.</summary>
    public (RsaSecurityKey[] Signing, RsaSecurityKey[] Encryption) Load()
    {
        lock (_lock)
        {
            if (_loaded is { } loaded) return (loaded.Signing, loaded.Encryption);
            try
            {
                _loaded = LoadOrCreate();
                Degraded = false;
                return (_loaded.Signing, _loaded.Encryption);
            }
            catch (Exception e) when (e is NpgsqlException or System.Security.Cryptography.CryptographicException)
            {
                // Not migrated yet (or the database is away): throwaway keys until the next attempt; no token
                // issued with them survives, which is what a not-ready instance deserves.
                _logger.LogError(e, "OpenID Connect keys could not be loaded; using temporary keys until the next attempt");
                Degraded = true;
                return ([new RsaSecurityKey(RSA.Create(2048)) { KeyId = "temporary-sig" }], [new RsaSecurityKey(RSA.Create(2048)) { KeyId = "temporary-enc" }]);
            }
        }
    }

    /// <summary>Re-reads the table; when the published set or the current keys differ, the options are rebuilt.</summary>
    public void Refresh()
    {
        try
        {
            using var conn = _dataSource.OpenConnection();
            var fingerprint = Fingerprint(Published(conn, null));
            lock (_lock)
            {
                if (_loaded is null || _loaded.Fingerprint == fingerprint) return;
                _loaded = null;
            }
            _logger.LogInformation("OpenID Connect keys changed; reloading");
            foreach (var previous in new[] { Interlocked.Exchange(ref _changed, new CancellationTokenSource()),
                         Interlocked.Exchange(ref _changedAfterServer, new CancellationTokenSource()) })
            {
                previous.Cancel();
                previous.Dispose();
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            _logger.LogWarning("OpenID Connect keys could not be re-read: {Error}", e.Message);
        }
    }

    /// <summary>
    /// Adds a new signing and a new encryption key that take over after <paramref name="activateAfter"/> (at least
    /// twice the refresh interval, so that every instance publishes them before any uses them), and retires the
    /// current ones <paramref name="retireAfter"/> later (longer than any token they protect lives: refresh tokens).
    /// </summary>
    public async Task<(string Signing, string Encryption)> RotateAsync(TimeSpan activateAfter, TimeSpan retireAfter, CancellationToken ct = default)
    {
        if (activateAfter < MinimumActivation)
        {
            throw new ArgumentOutOfRangeException(nameof(activateAfter), activateAfter,
                $"De nya nycklarna måste börja användas tidigast {MinimumActivation:c} efter att de skapats (två gånger Identity__OidcKeyRefreshInterval), så att varje instans hinner publicera dem.");
        }
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('vvd.oidc_keys'))", transaction: tx, cancellationToken: ct));
        var keys = await RotateLockedAsync(conn, tx, activateAfter, retireAfter, ct);
        await tx.CommitAsync(ct);
        Refresh();
        return keys;
    }

    /// <summary>Twice the refresh interval (every instance re-reads the table once before a new key signs).</summary>
    public TimeSpan MinimumActivation => _refreshInterval * 2;

    /// <summary>
    /// The scheduled rotation (<see cref="OidcKeyRotationJob"/>): when the newest key of a use is older than
    /// <paramref name="lifetime"/> and no new key is waiting for its activation, rotates (activation after
    /// <see cref="MinimumActivation"/> plus a minute, at least 10 minutes). Deletes keys retired more than 30 days ago.
    /// Returns the new signing key's id, or null when nothing was due.
    /// </summary>
    public async Task<string?> RotateIfDueAsync(TimeSpan lifetime, TimeSpan retireAfter, CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('vvd.oidc_keys'))", transaction: tx, cancellationToken: ct));
        var now = _time.GetUtcNow().UtcDateTime;
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM oidc_keys WHERE retired_at < @before",
            new { before = now.AddDays(-30) }, tx, cancellationToken: ct));
        var newest = await conn.QuerySingleAsync<(DateTime? Created, DateTime? Pending)>(new CommandDefinition("""
            SELECT min(newest), max(pending) FROM (
              SELECT max(created_at) AS newest, max(activates_at) FILTER (WHERE activates_at > @now) AS pending
              FROM oidc_keys WHERE retired_at IS NULL OR retired_at > @now GROUP BY use) k
            """, new { now }, tx, cancellationToken: ct));
        string? rotated = null;
        if (lifetime > TimeSpan.Zero && newest.Pending is null && newest.Created is { } created && now - created >= lifetime)
        {
            var activateAfter = TimeSpan.FromMinutes(Math.Max(10, (MinimumActivation + TimeSpan.FromMinutes(1)).TotalMinutes));
            rotated = (await RotateLockedAsync(conn, tx, activateAfter, retireAfter, ct)).Signing;
        }
        await tx.CommitAsync(ct);
        if (rotated is not null)
        {
            _logger.LogInformation("OpenID Connect keys rotated on schedule: new signing key {KeyId}", rotated);
            Refresh();
        }
        return rotated;
    }

    async Task<(string Signing, string Encryption)> RotateLockedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, TimeSpan activateAfter,
        TimeSpan retireAfter, CancellationToken ct)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        await conn.ExecuteAsync(new CommandDefinition("UPDATE oidc_keys SET retired_at = @retire WHERE retired_at IS NULL OR retired_at > @retire",
            new { retire = now + activateAfter + retireAfter }, tx, cancellationToken: ct));
        return (Insert(conn, tx, Signing, now + activateAfter), Insert(conn, tx, Encryption, now + activateAfter));
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _changed.Dispose();
        _changedAfterServer.Dispose();
    }

    KeyRow[] Published(NpgsqlConnection conn, NpgsqlTransaction? tx) => conn.Query<KeyRow>("""
        SELECT id, use, protected_pem AS ProtectedPem, created_at AS CreatedAt, activates_at AS ActivatesAt, retired_at AS RetiredAt
        FROM oidc_keys WHERE retired_at IS NULL OR retired_at > @now ORDER BY created_at DESC, id
        """, new { now = _time.GetUtcNow().UtcDateTime }, tx).ToArray();

    /// <summary>Per use: the current key (the newest already active, else the newest), then the other published ones.</summary>
    KeyRow[] Ordered(KeyRow[] rows, string use)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var ofUse = rows.Where(r => r.Use == use).ToArray();
        var current = ofUse.FirstOrDefault(r => r.ActivatesAt <= now) ?? ofUse.FirstOrDefault();
        return current is null ? [] : [current, .. ofUse.Where(r => r != current)];
    }

    string Fingerprint(KeyRow[] rows) => string.Join(";", new[] { Signing, Encryption }.Select(use => string.Join(",", Ordered(rows, use).Select(r => r.Id))));

    string Insert(NpgsqlConnection conn, NpgsqlTransaction tx, string use, DateTime activatesAt)
    {
        using var rsa = RSA.Create(2048);
        var id = $"{use}-{Guid.NewGuid():N}";
        conn.Execute("INSERT INTO oidc_keys (id, use, protected_pem, activates_at) VALUES (@id, @use, @protectedPem, @activatesAt)",
            new { id, use, protectedPem = _protector.Protect(rsa.ExportPkcs8PrivateKeyPem()), activatesAt }, tx);
        return id;
    }

    Loaded LoadOrCreate()
    {
        using var conn = _dataSource.OpenConnection();
        using var tx = conn.BeginTransaction();
        conn.Execute("SELECT pg_advisory_xact_lock(hashtext('vvd.oidc_keys'))", transaction: tx);
        var rows = Published(conn, tx);
        var created = false;
        foreach (var use in new[] { Signing, Encryption })
        {
            if (rows.Any(r => r.Use == use && r.RetiredAt is null)) continue;
            Insert(conn, tx, use, _time.GetUtcNow().UtcDateTime.AddSeconds(-1));
            created = true;
        }
        if (created) rows = Published(conn, tx);
        tx.Commit();
        RsaSecurityKey Key(KeyRow row)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(_protector.Unprotect(row.ProtectedPem));
            return new RsaSecurityKey(rsa) { KeyId = row.Id };
        }
        return new Loaded(Ordered(rows, Signing).Select(Key).ToArray(), Ordered(rows, Encryption).Select(Key).ToArray(), Fingerprint(rows));
    }
}

/// <summary>The daily job that rotates the OpenID Connect keys when they are <see cref="PlatformIdentityOptions.OidcKeyLifetime"/> old.</summary>
public sealed class OidcKeyRotationJob(OidcKeyStore keys, IOptions<PlatformIdentityOptions> options) : Jobs.IPlatformJob
{
    public const string JobId = "identity.oidc-key-rotation";
    public const string Cron = "15 4 * * *";   // 04:15 Stockholm

    public Task RunAsync(CancellationToken ct) =>
        keys.RotateIfDueAsync(options.Value.OidcKeyLifetime, options.Value.OidcKeyRetireAfter, ct);
}
