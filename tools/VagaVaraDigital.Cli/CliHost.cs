using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VagaVaraDigital.Api.Hosting;

namespace VagaVaraDigital.Cli;

/// <summary>The API's own service container, built for a command: the same code, no web server.</summary>
public static class CliHost
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(EmbeddedDefaults);
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("VagaVaraDigital", LogLevel.Information);
        builder.Services.AddPlatformServices(builder.Configuration);
        // The web parts of the container (routing, OpenAPI) are registered but never resolved here.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true }));
        return builder.Build();
    }

    /// <summary>Defaults of the embedded run (./run.sh), overridden by environment variables.</summary>
    static readonly Dictionary<string, string?> EmbeddedDefaults = new()
    {
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=5433;Database=vvd;Username=vvd_app",
        ["ConnectionStrings:PostgresMigrations"] = "Host=127.0.0.1;Port=5433;Database=vvd;Username=vvd_owner",
    };
}
