using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;

namespace VagaVaraDigital.Api.Tenancy;

/// <summary>The 21 tenants, read from the global <c>tenants</c> table and cached.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource, IMemoryCache cache, IOptions<TenancyOptions> options)
{
    const string CacheKey = "tenancy:tenants";

    public async Task<IReadOnlyList<TenantInfo>> AllAsync(CancellationToken ct = default) =>
        await cache.GetOrCreateAsync(CacheKey, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = options.Value.CacheDuration;
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            var rows = await conn.QueryAsync<TenantInfo>(new CommandDefinition(
                "SELECT id, slug, name, is_active AS IsActive FROM tenants ORDER BY id", cancellationToken: ct));
            return (IReadOnlyList<TenantInfo>)rows.ToArray();
        }) ?? [];

    public async Task<TenantInfo?> FindBySlugAsync(string slug, CancellationToken ct = default) =>
        (await AllAsync(ct)).FirstOrDefault(t => string.Equals(t.Slug, slug, StringComparison.OrdinalIgnoreCase));

    public async Task<TenantInfo?> FindByIdAsync(string id, CancellationToken ct = default) =>
        (await AllAsync(ct)).FirstOrDefault(t => t.Id == id);

    /// <summary>Call after changing a tenant so that the next request sees the change.</summary>
    public void Invalidate() => cache.Remove(CacheKey);
}
