using Npgsql;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Data;

/// <summary>
/// The way into PostgreSQL for request handlers and jobs. <see cref="BeginAsync"/> opens a unit of work in
/// the current tenant's scope; <see cref="BeginGlobalAsync"/> sees only global tables (reference data,
/// tenants); <see cref="BeginForTenantAsync"/> is for background work that carries its tenant id.
/// The <c>Read…</c> twins open read units: no transaction, one round trip per query, read-only — use them for
/// handlers that only read.
/// </summary>
public sealed class Db(NpgsqlDataSource dataSource, ITenantContextAccessor tenant)
{
    public NpgsqlDataSource DataSource => dataSource;

    public Task<UnitOfWork> BeginAsync(CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, CurrentTenantId, readOnly: false, ct);

    public Task<UnitOfWork> BeginForTenantAsync(string tenantId, CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, tenantId, readOnly: false, ct);

    public Task<UnitOfWork> BeginGlobalAsync(CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, null, readOnly: false, ct);

    public Task<UnitOfWork> ReadAsync(CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, CurrentTenantId, readOnly: true, ct);

    public Task<UnitOfWork> ReadForTenantAsync(string tenantId, CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, tenantId, readOnly: true, ct);

    public Task<UnitOfWork> ReadGlobalAsync(CancellationToken ct = default) =>
        UnitOfWork.BeginAsync(dataSource, null, readOnly: true, ct);

    string CurrentTenantId => tenant.Tenant?.Id ?? throw new TenantRequiredException();
}
