using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace VagaVaraDigital.Api.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o =>
            {
                o.ConnectionString = configuration.GetConnectionString("Postgres") ?? o.ConnectionString;
                o.MigrationsConnectionString = configuration.GetConnectionString("PostgresMigrations") ?? o.MigrationsConnectionString;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            builder.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return builder.Build();
        });
        services.AddScoped<Db>();
        return services;
    }

    /// <summary>Applies pending migrations when <c>Database:MigrateOnStartup</c> is true.</summary>
    public static void MigrateOnStartupIfConfigured(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!options.MigrateOnStartup) return;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("VagaVaraDigital.Migrations");
        var result = Migrator.Migrate(options, logger);
        logger.LogInformation("Migrations applied at start-up: {Count}", result.Applied.Count);
    }
}
