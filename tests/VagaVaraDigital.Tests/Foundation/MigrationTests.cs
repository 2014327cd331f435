using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Foundation;

public sealed class MigrationTests
{
    [Test]
    public async Task Migrations_apply_to_an_empty_database_and_a_second_run_changes_nothing()
    {
        var db = await TestDatabase.CreateEmptyAsync(TestRun.Server);

        var first = Migrator.Migrate(db.Options, NullLogger.Instance);
        var second = Migrator.Migrate(db.Options, NullLogger.Instance);

        Assert.That(first.Applied, Is.EqualTo(Migrator.ScriptNames), "every script, in order");
        Assert.That(second.Applied, Is.Empty, "idempotent");
        await using var app = new NpgsqlDataSourceBuilder(db.AppConnectionString).Build();
        Assert.That(await Migrator.PendingAsync(app, CancellationToken.None), Is.Empty);
    }

    [Test]
    public void Migration_files_are_numbered_without_gaps_in_their_order_or_duplicates()
    {
        var numbers = Migrator.ScriptNames.Select(n => n["migrations.".Length..].Split('_')[0]).ToArray();
        Assert.That(numbers, Is.All.Match("^[0-9]{4}$"));
        Assert.That(numbers, Is.Unique);
        Assert.That(numbers, Is.Ordered);
    }

    [Test]
    public async Task The_application_role_owns_nothing_and_cannot_bypass_row_level_security()
    {
        await using var conn = await TestRun.Database!.OpenSuperuserAsync();
        var role = await conn.QuerySingleAsync<(bool Super, bool Bypass, bool CreateRole, bool CreateDb)>(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = @r", new { r = TestDatabase.AppRole });
        var owned = await conn.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rolname = @r AND n.nspname = 'public'
            """, new { r = TestDatabase.AppRole });
        var memberOfReporting = await conn.ExecuteScalarAsync<bool>(
            "SELECT pg_has_role(@r, 'vvd_reporting', 'MEMBER')", new { r = TestDatabase.AppRole });

        Assert.Multiple(() =>
        {
            Assert.That(role, Is.EqualTo((false, false, false, false)));
            Assert.That(owned, Is.Zero);
            Assert.That(memberOfReporting, Is.False);
        });
    }
}
