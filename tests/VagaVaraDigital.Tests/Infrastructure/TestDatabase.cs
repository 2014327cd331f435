using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Respawn;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Tests.Infrastructure;

/// <summary>
/// One migrated database on the test server, with the platform's two roles: the owner (runs migrations)
/// and the application role (what the API connects as). <see cref="ResetAsync"/> brings it back to the
/// migrated state (all 21 tenants active) between tests.
/// </summary>
public sealed class TestDatabase
{
    public const string OwnerRole = "vvd_owner";
    public const string AppRole = "vvd_app";

    Respawner? _respawner;

    TestDatabase(string name, string superuser)
    {
        Name = name;
        var b = new NpgsqlConnectionStringBuilder(superuser) { Database = name, Pooling = true };
        SuperuserConnectionString = b.ConnectionString;
        OwnerConnectionString = new NpgsqlConnectionStringBuilder(b.ConnectionString) { Username = OwnerRole, Password = null }.ConnectionString;
        AppConnectionString = new NpgsqlConnectionStringBuilder(b.ConnectionString) { Username = AppRole, Password = null }.ConnectionString;
    }

    public string Name { get; }
    public string SuperuserConnectionString { get; }
    public string OwnerConnectionString { get; }
    public string AppConnectionString { get; }

    public DatabaseOptions Options => new()
    {
        ConnectionString = AppConnectionString,
        MigrationsConnectionString = OwnerConnectionString,
        AppRole = AppRole,
    };

    /// <summary>Creates an empty database owned by the owner role (no migrations).</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(PostgresServer server, string? name = null)
    {
        name ??= $"vvd_test_{Guid.NewGuid():N}"[..24];
        await using var conn = new NpgsqlConnection(server.SuperuserConnectionString);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand($"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OwnerRole}') THEN CREATE ROLE {OwnerRole} LOGIN CREATEROLE; END IF;
            END $$;
            """, conn))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        await using (var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER {OwnerRole}", conn))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        return new TestDatabase(name, server.SuperuserConnectionString);
    }

    /// <summary>Creates, migrates and prepares the run's database.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(PostgresServer server)
    {
        var db = await CreateEmptyAsync(server);
        Migrator.Migrate(db.Options, NullLogger.Instance);
        await db.ExecuteAsSuperuserAsync("""
            UPDATE tenants SET is_active = true;
            CREATE SCHEMA test_snapshot;
            CREATE TABLE test_snapshot.tenants AS SELECT * FROM public.tenants;
            CREATE TABLE test_snapshot.tenant_settings AS SELECT * FROM public.tenant_settings;
            """);
        db._respawner = await Respawner.CreateAsync(await db.OpenSuperuserAsync(), new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToExclude = ["test_snapshot", "hangfire"],
            TablesToIgnore = ["schemaversions", "counties", "municipalities", "tenants"],
        });
        return db;
    }

    /// <summary>Back to the migrated state: no tenant data, tenants and their settings as after migration.</summary>
    public async Task ResetAsync()
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(SuperuserConnectionString) { IncludeErrorDetail = true }.ConnectionString);
        await conn.OpenAsync();
        // A host of an earlier test may still be finishing background work (a cache refresh, a key ring write) when the
        // reset deletes: PostgreSQL then ends one of the two with a deadlock. The reset is tried again (and says so).
        // A session that keeps a lock (a host of an earlier test left running, a transaction never ended) would make the
        // reset wait forever: it waits at most a minute and then fails, naming the sessions that held it up.
        await using (var limit = new NpgsqlCommand("SET lock_timeout = '60s'", conn)) await limit.ExecuteNonQueryAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _respawner!.ResetAsync(conn);
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 4)
            {
                TestContext.Progress.WriteLine($"database reset: deadlock with background work, attempt {attempt} of 4: {e.Detail}");
                await Task.Delay(100 * attempt);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new InvalidOperationException($"database reset waited 60 s for a lock held by: {await LockHoldersAsync()}", e);
            }
        }
        await using var cmd = new NpgsqlCommand("""
            UPDATE tenants t SET slug = s.slug, name = s.name, is_active = s.is_active, updated_at = s.updated_at
              FROM test_snapshot.tenants s WHERE s.id = t.id;
            INSERT INTO tenant_settings SELECT * FROM test_snapshot.tenant_settings;
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The other sessions on this database that hold locks: role, state, how long, and the start of their last statement.</summary>
    async Task<string> LockHoldersAsync()
    {
        await using var conn = await OpenSuperuserAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT string_agg(format('%s %s for %s: %s', a.usename, a.state, date_trunc('second', now() - coalesce(a.xact_start, a.state_change)),
                                     left(a.query, 120)), '; ')
              FROM pg_stat_activity a
             WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
               AND EXISTS (SELECT FROM pg_locks l WHERE l.pid = a.pid AND l.granted)
            """, conn);
        return await cmd.ExecuteScalarAsync() as string ?? "(no session holds a lock any more)";
    }

    public async Task<NpgsqlConnection> OpenSuperuserAsync()
    {
        var conn = new NpgsqlConnection(SuperuserConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    public async Task ExecuteAsSuperuserAsync(string sql)
    {
        await using var conn = await OpenSuperuserAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
