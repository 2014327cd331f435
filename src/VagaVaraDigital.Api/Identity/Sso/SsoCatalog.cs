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
/// security stays on), cached, and reloaded when a CountyAdmin edits them (<see cref="Invalidate"/>, at once on
/// this instance) or every <see cref="PlatformIdentityOptions.SsoRefreshInterval"/> (other instances). Its
/// change token drives the OpenIddict client's registrations (docs/decisions/0013).
/// </summary>
public sealed class SsoCatalog(NpgsqlDataSource dataSource, TenantStore tenants, IOptions<PlatformIdentityOptions> options, TimeProvider time)
{
    readonly Lock _lock = new();
    IReadOnlyList<SsoProvider>? _providers;
    DateTimeOffset _loadedAt;
    CancellationTokenSource _changed = new();

    public async Task<IReadOnlyList<SsoProvider>> AllAsync(CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (_providers is not null && time.GetUtcNow() - _loadedAt < options.Value.SsoRefreshInterval) return _providers;
        }
        var loaded = await LoadAsync(ct);
        CancellationTokenSource? changed = null;
        lock (_lock)
        {
            if (_providers is not null && !Same(_providers, loaded)) changed = SwapChangeSource();
            _providers = loaded;
            _loadedAt = time.GetUtcNow();
        }
        // Outside the lock: cancelling runs the options monitor's reload, which reads this catalog again.
        changed?.Cancel();
        return loaded;
    }

    /// <summary>Synchronous read for options configuration (runs once per reload).</summary>
    public IReadOnlyList<SsoProvider> All() => AllAsync().GetAwaiter().GetResult();

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

    /// <summary>Call after an edit: the next read reloads and the OpenIddict client options follow.</summary>
    public void Invalidate()
    {
        CancellationTokenSource old;
        lock (_lock)
        {
            _providers = null;
            old = SwapChangeSource();
        }
        old.Cancel();
    }

    /// <summary>Fires on an edit here, and after the refresh interval (edits made on other instances).</summary>
    public IChangeToken ChangeToken()
    {
        lock (_lock)
        {
            return new CompositeChangeToken([new CancellationChangeToken(_changed.Token),
                new CancellationChangeToken(new CancellationTokenSource(options.Value.SsoRefreshInterval).Token)]);
        }
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
