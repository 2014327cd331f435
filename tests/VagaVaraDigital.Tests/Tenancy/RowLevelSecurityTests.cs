using Dapper;
using Npgsql;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Tenancy;

/// <summary>PostgreSQL itself keeps tenants apart, whatever the application's queries say.</summary>
public sealed class RowLevelSecurityTests : ApiTest
{
    /// <summary>Tables without tenant_id: reference data and platform-wide state. Add here only on purpose.</summary>
    public static readonly string[] GlobalTables =
    [
        "schemaversions", // DbUp's journal
        "counties", "municipalities", // reference data
        "tenants", // read to resolve a tenant before any tenant scope exists
        "seed_runs", // which one-time seeds have run
        "reach_national_settings", // the national reach target (one row, set by SystemAdmin)
        "reach_national_series", // national counts per night (no tenant's rows); only the reporting role reads/writes it
        // national reach counters (ADR 0051): counts and pseudonymous person keys across tenants; the application role has no
        // privilege on them, only the reporting role's SECURITY DEFINER functions (which return counts) read and write them
        "reach_person_facts", "reach_counts", "reach_counts_at",
        // Identity (docs/decisions/0011): read at sign-in and by the token endpoint before a tenant is known; a
        // user's tenant is a column ("TenantId") the application checks (UsersApi, TenantAccessMiddleware).
        "AspNetUsers", "AspNetUserClaims", "AspNetUserLogins", "AspNetUserTokens",
        "OpenIddictApplications", "OpenIddictAuthorizations", "OpenIddictScopes", "OpenIddictTokens", // machine clients are national
        "DataProtectionKeys", // one key ring for the platform
        "auth_sessions", // the session cookie is read before the tenant is resolved
        "oidc_keys", // one issuer for the platform
        "user_preferences", // a person's own settings (language), read after sign-in by user id, like the accounts (migration 0600)
        "platform_email_outbox", // mail to accounts without a tenant (SystemAdmin, NationalViewer): no tenant to scope by (ADR 0015)
        "platform_audit_log", // actions that belong to no county (SystemAdmin's API clients, migration 0652); append-only, ids only
    ];

    static async Task<string[]> TablesAsync(NpgsqlConnection conn, bool tenantOwned) => (await conn.QueryAsync<string>("""
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) = @tenantOwned
        ORDER BY 1
        """, new { tenantOwned })).ToArray();

    [Test]
    public async Task Every_table_is_tenant_owned_or_listed_as_global()
    {
        await using var conn = await Database.OpenSuperuserAsync();
        var global = await TablesAsync(conn, tenantOwned: false);
        Assert.That(global, Is.SubsetOf(GlobalTables),
            "A new table without tenant_id: give it tenant_id + enable_tenant_isolation(), or list it in GlobalTables on purpose.");
    }

    [Test]
    public async Task Every_tenant_owned_table_forces_row_level_security_with_the_tenant_policy()
    {
        await using var conn = await Database.OpenSuperuserAsync();
        var rows = await conn.QueryAsync<(string Table, bool Enabled, bool Forced, bool Policy, bool NotNull)>("""
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation'
                           AND p.qual LIKE '%current_tenant_id()%' AND p.with_check LIKE '%current_tenant_id()%'),
                   a.attnotnull
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            """);
        Assert.That(rows.Select(r => r.Table), Is.Not.Empty);
        Assert.That(rows.Where(r => !(r.Enabled && r.Forced && r.Policy && r.NotNull)).Select(r => r.Table), Is.Empty);
    }

    [Test]
    public async Task Every_tenant_owned_table_has_seeded_rows_for_both_test_tenants()
    {
        await TwoTenants.SeedAsync(Database);
        await using var conn = await Database.OpenSuperuserAsync();
        foreach (var table in await TablesAsync(conn, tenantOwned: true))
        {
            var tenants = (await conn.QueryAsync<string>($"SELECT DISTINCT tenant_id FROM \"{table}\" WHERE tenant_id IN ('{TwoTenants.A}', '{TwoTenants.B}')")).ToArray();
            Assert.That(tenants, Is.EquivalentTo(new[] { TwoTenants.A, TwoTenants.B }), $"{table}: add rows to TwoTenants.SeedAsync");
        }
    }

    [Test]
    public async Task Under_tenant_A_every_table_shows_only_A_and_refuses_to_write_B()
    {
        await TwoTenants.SeedAsync(Database);
        string[] tables;
        await using (var su = await Database.OpenSuperuserAsync()) tables = await TablesAsync(su, tenantOwned: true);

        await using var conn = new NpgsqlConnection(Database.AppConnectionString);
        await conn.OpenAsync();
        foreach (var table in tables)
        {
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @A, true)", new { TwoTenants.A }, tx);

            var all = (await conn.QueryAsync<string>($"SELECT tenant_id FROM \"{table}\"", transaction: tx)).ToArray();
            Assert.That(all, Is.Not.Empty.And.All.EqualTo(TwoTenants.A), $"{table}: SELECT * under A");

            var deleted = await TryAsync(conn, tx, $"DELETE FROM \"{table}\" WHERE tenant_id = '{TwoTenants.B}'");
            Assert.That(deleted, Is.EqualTo(0).Or.EqualTo(-42501), $"{table}: DELETE of B's rows");

            var moved = await TryAsync(conn, tx, $"UPDATE \"{table}\" SET tenant_id = '{TwoTenants.B}'");
            Assert.That(moved, Is.EqualTo(-42501), $"{table}: moving A's rows to B must be refused");

            var inserted = await TryAsync(conn, tx, $"INSERT INTO \"{table}\" (tenant_id) VALUES ('{TwoTenants.B}')");
            Assert.That(inserted, Is.EqualTo(-42501), $"{table}: inserting a row for B must be refused");
            await tx.RollbackAsync();
        }
    }

    [Test]
    public async Task Without_a_tenant_scope_the_application_role_sees_no_tenant_rows()
    {
        await TwoTenants.SeedAsync(Database);
        await using var conn = new NpgsqlConnection(Database.AppConnectionString);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log"), Is.Zero);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM tenant_settings"), Is.Zero);
    }

    /// <summary>Rows affected, or minus the SQLSTATE class number 42501 when PostgreSQL refuses.</summary>
    static async Task<int> TryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql)
    {
        await conn.ExecuteAsync("SAVEPOINT probe", transaction: tx);
        try
        {
            var n = await conn.ExecuteAsync(sql, transaction: tx);
            await conn.ExecuteAsync("RELEASE SAVEPOINT probe", transaction: tx);
            return n;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            await conn.ExecuteAsync("ROLLBACK TO SAVEPOINT probe", transaction: tx);
            return -42501;
        }
    }
}
