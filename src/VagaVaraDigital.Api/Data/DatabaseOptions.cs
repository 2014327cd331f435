using System.ComponentModel.DataAnnotations;

namespace VagaVaraDigital.Api.Data;

/// <summary>Where the database is and how the schema gets there.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The application's connection (ConnectionStrings:Postgres): the role that owns nothing.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The owner's connection for migrations (ConnectionStrings:PostgresMigrations). When empty, the
    /// application's connection is used, which then must be allowed to create tables.
    /// </summary>
    public string? MigrationsConnectionString { get; set; }

    /// <summary>Apply pending migrations when the web host starts (the default for ./run.sh).</summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>The role the application connects as; migrations grant it what it needs and nothing more.</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string AppRole { get; set; } = "vvd_app";

    /// <summary>The role that owns the national aggregate functions; it never logs in.</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string ReportingRole { get; set; } = "vvd_reporting";

    public string EffectiveMigrationsConnectionString =>
        string.IsNullOrWhiteSpace(MigrationsConnectionString) ? ConnectionString : MigrationsConnectionString;
}
