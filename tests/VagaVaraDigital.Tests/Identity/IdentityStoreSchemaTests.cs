using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Identity.Store;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// The EF Core model of the Identity/OpenIddict/Data Protection stores and the tables the SQL migration created
/// must agree, column by column: a package upgrade or a model change without a new migration fails here.
/// </summary>
public sealed class IdentityStoreSchemaTests : ApiTest
{
    sealed record Column(string Table, string Name, string Type, bool Nullable);

    [Test]
    public async Task The_EF_model_matches_the_migrated_database()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var expected = db.Model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null)
            .SelectMany(e =>
            {
                var table = StoreObjectIdentifier.Table(e.GetTableName()!, e.GetSchema());
                return e.GetProperties().Select(p => new Column(table.Name, p.GetColumnName(table)!, Normalize(p.GetColumnType()), p.IsColumnNullable(table)));
            })
            .Distinct().OrderBy(c => c.Table).ThenBy(c => c.Name).ToArray();
        var tables = expected.Select(c => c.Table).Distinct().ToArray();

        await using var conn = await Database.OpenSuperuserAsync();
        var actual = (await conn.QueryAsync<(string Table, string Name, string Type, string Nullable)>("""
            SELECT c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod), c.is_nullable
            FROM information_schema.columns c
            JOIN pg_attribute a ON a.attrelid = ('public.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name
            WHERE c.table_schema = 'public' AND c.table_name = ANY(@tables)
            """, new { tables }))
            .Select(r => new Column(r.Table, r.Name, Normalize(r.Type), r.Nullable == "YES"))
            .OrderBy(c => c.Table).ThenBy(c => c.Name).ToArray();

        Assert.That(actual, Is.EqualTo(expected), "EF model vs. database: generate a new migration (docs/decisions/0010)");
    }

    [Test]
    public async Task The_model_has_no_changes_since_the_migration_the_SQL_was_generated_from()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        Assert.That(db.Database.HasPendingModelChanges(), Is.False, "dotnet ef migrations add … and script the difference into migrations/01xx");
        await Task.CompletedTask;
    }

    static string Normalize(string type) => type.ToLowerInvariant() switch
    {
        "timestamp with time zone" => "timestamptz",
        var t => t.Replace("character varying", "varchar", StringComparison.Ordinal),
    };
}
