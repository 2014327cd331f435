using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Npgsql;

namespace VagaVaraDigital.Api.Data;

/// <summary>
/// Applies the numbered SQL files in <c>migrations/</c> (embedded in this assembly) with DbUp, one
/// transaction per script, journalled in <c>public.schemaversions</c>. Used at start-up, by <c>vvd migrate</c>
/// and by the test fixture.
/// </summary>
public static class Migrator
{
    const string ResourcePrefix = "migrations.";
    public const string JournalTable = "schemaversions";

    /// <summary>The script names in the order they are applied.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } = typeof(Migrator).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static MigrationResult Migrate(DatabaseOptions options, ILogger logger)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(options.EffectiveMigrationsConnectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .WithVariable("app_role", options.AppRole)
            .WithVariable("reporting_role", options.ReportingRole)
            .JournalToPostgresqlTable("public", JournalTable)
            .WithTransactionPerScript()
            .LogTo(new DbUpLog(logger))
            .Build();

        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
        }

        // Hangfire's tables, with its own versioned installer (Jobs/JobsSchema.cs, ADR 0030).
        Jobs.JobsSchema.Install(options);

        // The journal is read by the application's readiness check.
        using var conn = new NpgsqlConnection(options.EffectiveMigrationsConnectionString);
        conn.Open();
        using var grant = new NpgsqlCommand($"GRANT SELECT ON public.{JournalTable} TO \"{options.AppRole}\"", conn);
        grant.ExecuteNonQuery();

        var applied = result.Scripts.Select(s => s.Name).ToArray();
        return new MigrationResult(applied);
    }

    /// <summary>Scripts embedded in this build that the database's journal does not list.</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT scriptname FROM public.{JournalTable}");
        var applied = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return ScriptNames;
        }
        return ScriptNames.Where(n => !applied.Contains(n)).ToArray();
    }

    sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}

public sealed record MigrationResult(IReadOnlyList<string> Applied);
