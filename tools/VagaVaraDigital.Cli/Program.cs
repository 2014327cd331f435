using System.CommandLine;

namespace VagaVaraDigital.Cli;

/// <summary>
/// vvd — the platform's operator commands. Configuration comes from the same keys as the API
/// (ConnectionStrings__Postgres, ConnectionStrings__PostgresMigrations, …), defaulting to the embedded run.
/// </summary>
public static class VvdProgram
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("vvd — Våga vara digital: drift och data");
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(SeedDemoCommand.Create());
        root.Subcommands.Add(CreateUserCommand.Create());
        root.Subcommands.Add(SeedBenchCommand.Create());
        root.Subcommands.Add(OidcKeysCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
