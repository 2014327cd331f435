using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Cli;

/// <summary><c>vvd migrate</c>: applies pending SQL migrations as the owner role.</summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Kör databasmigreringar (som ägarrollen)");
        command.SetAction(_ =>
        {
            using var host = CliHost.Build();
            var options = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("VagaVaraDigital.Migrations");
            var result = Migrator.Migrate(options, logger);
            Console.WriteLine(result.Applied.Count == 0
                ? "Databasen är redan uppdaterad."
                : $"Körde {result.Applied.Count} migrering(ar): {string.Join(", ", result.Applied)}");
            return 0;
        });
        return command;
    }
}
