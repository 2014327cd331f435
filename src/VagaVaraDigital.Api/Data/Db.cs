using Npgsql;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Data;

/// <summary>
/// The way into PostgreSQL for request handlers and jobs. <see cref="BeginAsync"/> opens a unit of work in
/// the current tenant's scope; <see cref="BeginGlobalAsync"/> sees only global tables (reference data,
/// tenants); <see cref="BeginForTenantAsync"/> is for background work that carries its tenant id.
/// </summary>
public sealed class Db(NpgsqlDataSource dataSource, ITenantContextAccessor tenant)
{
    public NpgsqlDataSource DataSource => dataSource;

    public Task<UnitOfWork> BeginAsync(CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, tenant.Tenant?.Id ?? throw new TenantRequiredException(), ct);

    public Task<UnitOfWork> BeginForTenantAsync(string tenantId, CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, tenantId, ct);

    public Task<UnitOfWork> BeginGlobalAsync(CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, null, ct);
}
