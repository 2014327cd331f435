using System.CommandLine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Cli;

/// <summary>
/// <c>vvd seed-demo</c>: demo data for the embedded run — every tenant active, and synthetic Swedish people
/// (Bogus, locale sv; never real persons). Runs once per database unless --force; the demo accounts'
/// password is set on every run (VVD_DEMO_PASSWORD, else a new generated one) and printed.
/// </summary>
public static class SeedDemoCommand
{
    public const string SeedName = "demo";

    public static Command Create()
    {
        var force = new Option<bool>("--force") { Description = "Kör även om demodata redan finns" };
        var command = new Command("seed-demo", "Lägg in demodata (en gång)") { force };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Db>();
            await using (var uow = await db.BeginGlobalAsync(ct))
            {
                var ran = await uow.ExecuteScalarAsync<DateTime?>("SELECT ran_at FROM seed_runs WHERE name = @SeedName", new { SeedName }, ct);
                if (ran is not null && !parse.GetValue(force))
                {
                    Console.WriteLine($"Demodata finns redan (inlagd {ran:yyyy-MM-dd HH:mm} UTC).");
                    // The demo accounts' password is set anew on every run, so ./run.sh can always print how to sign in.
                    await DemoData.DemoUsersStep(scope.ServiceProvider, ct);
                    return 0;
                }
            }

            var steps = DemoData.Steps(scope.ServiceProvider);
            foreach (var step in steps)
            {
                Console.WriteLine($"  {step.Name} …");
                await step.Run(ct);
            }

            await using (var uow = await db.BeginGlobalAsync(ct))
            {
                await uow.ExecuteAsync("""
                    INSERT INTO seed_runs (name) VALUES (@SeedName)
                    ON CONFLICT (name) DO UPDATE SET ran_at = now()
                    """, new { SeedName }, ct);
                await uow.CommitAsync(ct);
            }
            Console.WriteLine("Demodata klar.");
            return 0;
        });
        return command;
    }
}

/// <summary>One named step of the demo data; features add theirs to <see cref="DemoData.Steps"/>.</summary>
public sealed record DemoStep(string Name, Func<CancellationToken, Task> Run);

public static partial class DemoData
{
    /// <summary>The steps in order. Each feature contributes a step in its own file (DemoData.*.cs).</summary>
    public static IReadOnlyList<DemoStep> Steps(IServiceProvider services)
    {
        var db = services.GetRequiredService<Db>();
        return
        [
            new("Aktiverar alla 21 län", ct => ActivateTenants(db, ct)),
            new("Demoanvändare, en per roll", ct => DemoUsersStep(services, ct)),
            new("Webbsändningar och inbjudningar", ct => DemoWebcastsStep(db, ct)),
        ];
    }

    static async Task ActivateTenants(Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginGlobalAsync(ct);
        await uow.ExecuteAsync("UPDATE tenants SET is_active = true, updated_at = now() WHERE NOT is_active", ct: ct);
        await uow.CommitAsync(ct);
    }
}
