using System.Data;
using Dapper;
using Npgsql;

namespace VagaVaraDigital.Api.Data;

/// <summary>
/// One connection and one transaction. In a tenant scope the transaction-local setting
/// <c>app.tenant_id</c> is set first, so PostgreSQL's row-level security sees only that tenant's rows
/// (safe with pooling: the setting ends with the transaction). Dispose without <see cref="CommitAsync"/>
/// rolls back.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction, string? tenantId)
    {
        Connection = connection;
        Transaction = transaction;
        TenantId = tenantId;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    /// <summary>The tenant whose rows this unit of work sees, or null for global tables only.</summary>
    public string? TenantId { get; }

    public string RequiredTenantId => TenantId ?? throw new InvalidOperationException("This unit of work has no tenant.");

    internal static async Task<UnitOfWork> BeginAsync(NpgsqlDataSource dataSource, string? tenantId, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            if (tenantId is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT set_config('app.tenant_id', @tenantId, true)", new { tenantId }, transaction, cancellationToken: ct));
            }
            return new UnitOfWork(connection, transaction, tenantId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        Connection.QueryAsync<T>(Command(sql, param, ct));

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        Connection.QuerySingleOrDefaultAsync<T>(Command(sql, param, ct));

    public Task<T> QuerySingleAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        Connection.QuerySingleAsync<T>(Command(sql, param, ct));

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, param, ct));

    public Task<int> ExecuteAsync(string sql, object? param = null, CancellationToken ct = default) =>
        Connection.ExecuteAsync(Command(sql, param, ct));

    public Task<SqlMapper.GridReader> QueryMultipleAsync(string sql, object? param = null, CancellationToken ct = default) =>
        Connection.QueryMultipleAsync(Command(sql, param, ct));

    CommandDefinition Command(string sql, object? param, CancellationToken ct) =>
        new(sql, param, Transaction, cancellationToken: ct);

    public Task CommitAsync(CancellationToken ct = default) => Transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
