using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Npgsql;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Identity.Sso;

/// <summary>One county's external OpenID Connect provider and the e-mail domains it serves.</summary>
public sealed record SsoProvider(Guid Id, string TenantId, string DisplayName, string Issuer, string ClientId, string? ProtectedClientSecret,
    IReadOnlyDictionary<string, string> MunicipalityByDomain)
{
    /// <summary>The OpenIddict client registration id and the tail of this provider's own redirect URI.</summary>
    public string RegistrationId => Id.ToString("N");

    public string RedirectPath => $"signin-oidc/{RegistrationId}";
}

/// <summary>
/// Every tenant's enabled SSO providers, read from the tenant-owned tables one tenant scope at a time (row-level
/// security stays on) and kept as an immutable snapshot. Reloaded right after a CountyAdmin's edit on this
/// instance (<see cref="ReloadAsync"/>), and by <see cref="SsoCatalogRefresher"/> at start-up and every
/// <see cref="PlatformIdentityOptions.SsoRefreshInterval"/> (edits made on other instances). Its change token
/// drives the OpenIddict client's registrations (docs/decisions/0013), whose configuration only reads the
/// snapshot (<see cref="Current"/>): no database call and no blocking inside the options system, so a reload
/// can never wait on a thread that waits on the reload.
/// </summary>
public sealed class SsoCatalog(NpgsqlDataSource dataSource, TenantStore tenants, IOptions<PlatformIdentityOptions> options, TimeProvider time)
{
    sealed record Snapshot(IReadOnlyList<SsoProvider> Providers, DateTimeOffset LoadedAt);

    readonly Lock _lock = new();
    readonly SemaphoreSlim _reloading = new(1, 1); // one load at a time, so a load begun before an edit cannot land after it
    volatile Snapshot? _snapshot;
    CancellationTokenSource _changed = new();

    /// <summary>The providers as last loaded (none before the first load). Never touches the database.</summary>
    public IReadOnlyList<SsoProvider> Current => _snapshot?.Providers ?? [];

    /// <summary>The providers, reloaded first when the snapshot is missing or older than the refresh interval.</summary>
    public async Task<IReadOnlyList<SsoProvider>> AllAsync(CancellationToken ct = default)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < options.Value.SsoRefreshInterval) return snapshot.Providers;
        return await ReloadAsync(ct);
    }

    /// <summary>Loads the providers now; when they differ from the snapshot, the change token fires (after an edit, at start-up).</summary>
    public async Task<IReadOnlyList<SsoProvider>> ReloadAsync(CancellationToken ct = default)
    {
        IReadOnlyList<SsoProvider> loaded;
        CancellationTokenSource? changed = null;
        await _reloading.WaitAsync(ct);
        try
        {
            loaded = await LoadAsync(ct);
            lock (_lock)
            {
                var previous = _snapshot?.Providers;
                if (previous is null || !Same(previous, loaded)) changed = SwapChangeSource();
                _snapshot = new Snapshot(loaded, time.GetUtcNow());
            }
        }
        finally
        {
            _reloading.Release();
        }
        // Outside the lock: cancelling runs the options monitor's reload, which reads Current.
        changed?.Cancel();
        return loaded;
    }

    public async Task<SsoProvider?> FindAsync(Guid id, CancellationToken ct = default) => (await AllAsync(ct)).FirstOrDefault(p => p.Id == id);

    public async Task<SsoProvider?> FindByRegistrationIdAsync(string? registrationId, CancellationToken ct = default) =>
        (await AllAsync(ct)).FirstOrDefault(p => p.RegistrationId == registrationId);

    /// <summary>Home-realm discovery: the provider serving the e-mail address's domain, if any.</summary>
    public async Task<SsoProvider?> FindByEmailAsync(string? email, CancellationToken ct = default)
    {
        var domain = DomainOf(email);
        return domain is null ? null : (await AllAsync(ct)).FirstOrDefault(p => p.MunicipalityByDomain.ContainsKey(domain));
    }

    public static string? DomainOf(string? email)
    {
        var at = email?.Trim().LastIndexOf('@') ?? -1;
        return at <= 0 || at == email!.Trim().Length - 1 ? null : email.Trim()[(at + 1)..].ToLowerInvariant();
    }

    /// <summary>Fires when a reload finds the providers changed.</summary>
    public IChangeToken ChangeToken()
    {
        lock (_lock) return new CancellationChangeToken(_changed.Token);
    }

    CancellationTokenSource SwapChangeSource()
    {
        var old = _changed;
        _changed = new CancellationTokenSource();
        return old;
    }

    static bool Same(IReadOnlyList<SsoProvider> a, IReadOnlyList<SsoProvider> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Id == p.Second.Id && p.First.Issuer == p.Second.Issuer && p.First.ClientId == p.Second.ClientId
            && p.First.ProtectedClientSecret == p.Second.ProtectedClientSecret
            && p.First.MunicipalityByDomain.OrderBy(d => d.Key).SequenceEqual(p.Second.MunicipalityByDomain.OrderBy(d => d.Key)));

    async Task<IReadOnlyList<SsoProvider>> LoadAsync(CancellationToken ct)
    {
        var result = new List<SsoProvider>();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        foreach (var tenant in await tenants.AllAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            await conn.ExecuteAsync(new CommandDefinition("SELECT set_config('app.tenant_id', @id, true)", new { id = tenant.Id }, tx, cancellationToken: ct));
            var providers = await conn.QueryAsync<(Guid Id, string DisplayName, string Issuer, string ClientId, string? Secret)>(new CommandDefinition("""
                SELECT id, display_name, issuer, client_id, protected_client_secret FROM sso_providers WHERE is_enabled ORDER BY created_at, id
                """, transaction: tx, cancellationToken: ct));
            var domains = (await conn.QueryAsync<(Guid ProviderId, string Domain, string Municipality)>(new CommandDefinition(
                "SELECT provider_id, domain, municipality_code FROM sso_provider_domains", transaction: tx, cancellationToken: ct))).ToList();
            await tx.CommitAsync(ct);
            result.AddRange(providers.Select(p => new SsoProvider(p.Id, tenant.Id, p.DisplayName, p.Issuer, p.ClientId, p.Secret,
                domains.Where(d => d.ProviderId == p.Id).ToDictionary(d => d.Domain, d => d.Municipality))));
        }
        return result;
    }
}

/// <summary>Loads the SSO catalog at start-up and then every refresh interval (edits made on other instances).</summary>
public sealed class SsoCatalogRefresher(SsoCatalog catalog, IOptions<PlatformIdentityOptions> options, ILogger<SsoCatalogRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SsoRefreshInterval);
        do
        {
            try
            {
                await catalog.ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Municipal SSO providers could not be loaded; retrying at the next refresh");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
