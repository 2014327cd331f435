using Hangfire.PostgreSql;
using Npgsql;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Jobs;

/// <summary>
/// Hangfire's tables live in their own schema <c>hangfire</c>, outside row-level security (they hold job ids and
/// tenant ids, never personal data). The migrator, running as the owner, creates them with Hangfire.PostgreSql's
/// own versioned installer right after the numbered migrations (migration 0301 creates the schema and grants the
/// application role its rights); the application runs with <c>PrepareSchemaIfNecessary = false</c> and cannot
/// create anything. See docs/decisions/0030-hangfire-schema-and-job-tenancy.md.
/// </summary>
public static class JobsSchema
{
    public static void Install(DatabaseOptions options)
    {
        // Hangfire logs through a static provider; outside a host (CLI, tests) there may be none or a stale one.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new HangfireLogProvider());
        using var conn = new NpgsqlConnection(options.EffectiveMigrationsConnectionString);
        conn.Open();
        PostgreSqlObjectsInstaller.Install(conn, JobsOptions.Schema);
        // Default privileges (0301) cover tables the owner creates; grant again in case a DBA installed them.
        using var grant = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA {JobsOptions.Schema} TO "{options.AppRole}";
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {JobsOptions.Schema} TO "{options.AppRole}";
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {JobsOptions.Schema} TO "{options.AppRole}";
            """, conn);
        grant.ExecuteNonQuery();
    }
}
