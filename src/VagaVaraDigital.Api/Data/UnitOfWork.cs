using System.Data;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace VagaVaraDigital.Api.Data;

/// <summary>
/// One connection and one transaction. In a tenant scope the transaction-local setting
/// <c>app.tenant_id</c> is set first, so PostgreSQL's row-level security sees only that tenant's rows
/// (safe with pooling: the setting ends with the transaction). Dispose without <see cref="CommitAsync"/>
/// rolls back.
/// <para>
/// To save a round trip per request, the setting travels with the first command as a
/// <c>SET LOCAL app.tenant_id = '…';</c> prefix (Npgsql skips its empty result). Code that uses
/// <see cref="Connection"/> directly (COPY, batches) gets the setting applied before it sees the connection.
/// </para>
/// </summary>
public sealed partial class UnitOfWork : IAsyncDisposable
{
    readonly NpgsqlConnection _connection;
    bool _scoped;

    UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction, string? tenantId)
    {
        _connection = connection;
        Transaction = transaction;
        TenantId = tenantId;
        _scoped = tenantId is null;
    }

    /// <summary>The connection, with the tenant setting applied.</summary>
    public NpgsqlConnection Connection
    {
        get
        {
            if (!_scoped)
            {
                using var cmd = new NpgsqlCommand(ScopePrefix, _connection, Transaction);
                cmd.ExecuteNonQuery();
                _scoped = true;
            }
            return _connection;
        }
    }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>The tenant whose rows this unit of work sees, or null for global tables only.</summary>
    public string? TenantId { get; }

    public string RequiredTenantId => TenantId ?? throw new InvalidOperationException("This unit of work has no tenant.");

    internal static async Task<UnitOfWork> BeginAsync(NpgsqlDataSource dataSource, string? tenantId, CancellationToken ct)
    {
        // The id is inlined into SET LOCAL, so it must be a county code and nothing else.
        if (tenantId is not null && !TenantIdFormat().IsMatch(tenantId))
        {
            throw new ArgumentException("A tenant id is a two-digit county code.", nameof(tenantId));
        }
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            return new UnitOfWork(connection, transaction, tenantId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        Scoped(c => _connection.QueryAsync<T>(c), sql, param, ct);

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        Scoped(c => _connection.QuerySingleOrDefaultAsync<T>(c), sql, param, ct);

    public Task<T> QuerySingleAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        Scoped(c => _connection.QuerySingleAsync<T>(c), sql, param, ct);

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        Scoped(c => _connection.ExecuteScalarAsync<T>(c), sql, param, ct);

    public Task<int> ExecuteAsync(string sql, object? param = null, CancellationToken ct = default) =>
        Scoped(c => _connection.ExecuteAsync(c), sql, param, ct);

    public Task<SqlMapper.GridReader> QueryMultipleAsync(string sql, object? param = null, CancellationToken ct = default) =>
        Scoped(c => _connection.QueryMultipleAsync(c), sql, param, ct);

    /// <summary>Runs a command, carrying the tenant setting along until one command has succeeded.</summary>
    async Task<T> Scoped<T>(Func<CommandDefinition, Task<T>> run, string sql, object? param, CancellationToken ct)
    {
        var prefixed = !_scoped;
        var result = await run(new CommandDefinition(prefixed ? ScopePrefix + sql : sql, param, Transaction, cancellationToken: ct));
        _scoped = true;
        return result;
    }

    string ScopePrefix => $"SET LOCAL app.tenant_id = '{TenantId}';\n";

    [GeneratedRegex("^[0-9]{2}$")]
    private static partial Regex TenantIdFormat();

    public Task CommitAsync(CancellationToken ct = default) => Transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
