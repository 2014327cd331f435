using System.Data;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace VagaVaraDigital.Api.Data;

/// <summary>
/// One connection and, for writing, one transaction. In a tenant scope the transaction-local setting
/// <c>app.tenant_id</c> is set first, so PostgreSQL's row-level security sees only that tenant's rows
/// (safe with pooling: the setting ends with the transaction). Dispose without <see cref="CommitAsync"/>
/// rolls back.
/// <para>
/// To save a round trip per request, the setting travels with the first command as a
/// <c>SET LOCAL app.tenant_id = '…';</c> prefix (Npgsql skips its empty result). Code that uses
/// <see cref="Connection"/> directly (COPY, batches) gets the setting applied before it sees the connection.
/// </para>
/// <para>
/// A read unit (<see cref="Db.ReadAsync"/>) has no explicit transaction: each command travels as
/// <c>CALL read_as_tenant('…'); …</c> in one batch, which PostgreSQL runs as one read-only implicit
/// transaction with the tenant set (migration 0011) — one round trip per query, nothing to commit.
/// </para>
/// </summary>
public sealed partial class UnitOfWork : IAsyncDisposable
{
    readonly NpgsqlConnection _connection;
    readonly NpgsqlTransaction? _transaction;
    bool _scoped;

    UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction? transaction, string? tenantId)
    {
        _connection = connection;
        _transaction = transaction;
        TenantId = tenantId;
        _scoped = tenantId is null;
    }

    /// <summary>True for a read unit: no transaction, every command read-only.</summary>
    public bool IsReadOnly => _transaction is null;

    /// <summary>The connection, with the tenant setting applied (write units only).</summary>
    public NpgsqlConnection Connection
    {
        get
        {
            var transaction = Transaction;
            if (!_scoped)
            {
                using var cmd = new NpgsqlCommand(ScopePrefix, _connection, transaction);
                cmd.ExecuteNonQuery();
                _scoped = true;
            }
            return _connection;
        }
    }

    public NpgsqlTransaction Transaction =>
        _transaction ?? throw new InvalidOperationException("A read unit has no transaction; open it with Db.BeginAsync to write.");

    /// <summary>The tenant whose rows this unit of work sees, or null for global tables only.</summary>
    public string? TenantId { get; }

    public string RequiredTenantId => TenantId ?? throw new InvalidOperationException("This unit of work has no tenant.");

    internal static async Task<UnitOfWork> BeginAsync(NpgsqlDataSource dataSource, string? tenantId, bool readOnly, CancellationToken ct)
    {
        // The id is inlined into the scope prefix, so it must be a county code and nothing else.
        if (tenantId is not null && !TenantIdFormat().IsMatch(tenantId))
        {
            throw new ArgumentException("A tenant id is a two-digit county code.", nameof(tenantId));
        }
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = readOnly ? null : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
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

    /// <summary>
    /// Runs a command with the tenant scope: in a write unit the setting travels with commands until one has
    /// succeeded; in a read unit every command carries it (each is its own implicit read-only transaction).
    /// </summary>
    async Task<T> Scoped<T>(Func<CommandDefinition, Task<T>> run, string sql, object? param, CancellationToken ct)
    {
        if (_transaction is null)
        {
            return await run(new CommandDefinition($"CALL read_as_tenant('{TenantId}');\n" + sql, param, cancellationToken: ct));
        }
        var result = await run(new CommandDefinition(_scoped ? sql : ScopePrefix + sql, param, _transaction, cancellationToken: ct));
        _scoped = true;
        return result;
    }

    string ScopePrefix => $"SET LOCAL app.tenant_id = '{TenantId}';\n";

    [GeneratedRegex("^[0-9]{2}$")]
    private static partial Regex TenantIdFormat();

    /// <summary>Commits a write unit; a read unit has nothing to commit.</summary>
    public Task CommitAsync(CancellationToken ct = default) => _transaction?.CommitAsync(ct) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null) await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
