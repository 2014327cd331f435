using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Bench;

/// <summary>What every benchmark in tools/ needs (linked into each): a migrated database and the real app on Kestrel.</summary>
public static class BenchDatabase
{
    /// <summary>
    /// Creates <paramref name="dbName"/> (unless it exists) owned by <c>vvd_owner</c> on the server of the superuser
    /// connection <paramref name="super"/>, and migrates it. Returns the app's and the migrations' connections, and the
    /// superuser's connection to the new database.
    /// </summary>
    public static async Task<(DatabaseOptions Options, string Superuser)> CreateAsync(string super, string dbName)
    {
        await using (var conn = new NpgsqlConnection(super))
        {
            await conn.ExecuteAsync("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vvd_owner') THEN CREATE ROLE vvd_owner LOGIN CREATEROLE; END IF; END $$;");
            if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_database WHERE datname = @dbName", new { dbName }) == 0)
            {
                await conn.ExecuteAsync($"CREATE DATABASE {dbName} OWNER vvd_owner");
            }
        }
        var superDb = new NpgsqlConnectionStringBuilder(super) { Database = dbName }.ConnectionString;
        var options = new DatabaseOptions
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(superDb) { Username = "vvd_app", Password = null }.ConnectionString,
            MigrationsConnectionString = new NpgsqlConnectionStringBuilder(superDb) { Username = "vvd_owner", Password = null }.ConnectionString,
        };
        Migrator.Migrate(options, NullLogger.Instance);
        return (options, superDb);
    }

    /// <summary>The machine's load average (the machines are shared: every benchmark prints it).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}

/// <summary>
/// The real app (Production settings, jobs off, logs at Warning) against a benchmark database, with the identity a
/// benchmark gives each request instead of a sign-in. Any type of the API assembly names its entry point (a
/// benchmark's own top-level Program hides the API's).
/// </summary>
public class BenchHost(DatabaseOptions options, Func<HttpContext, ClaimsPrincipal> identity) : WebApplicationFactory<Db>
{
    readonly Func<HttpContext, ClaimsPrincipal> _identity = identity;

    /// <summary>Starts it on Kestrel (a free loopback port) and returns a client for it.</summary>
    public HttpClient StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        return new HttpClient(new SocketsHttpHandler()) { BaseAddress = ClientOptions.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
    }

    /// <summary>A benchmark's own settings and services.</summary>
    protected virtual void Configure(IWebHostBuilder builder) { }

    /// <summary>Middleware placed in front of the application's pipeline (baselines that bypass it).</summary>
    protected virtual Task<bool> HandleBeforeAppAsync(HttpContext context) => Task.FromResult(false);

    /// <summary>Endpoints of the benchmark's own, behind the application's whole middleware pipeline.</summary>
    protected virtual void MapBenchEndpoints(IEndpointRouteBuilder routes) { }

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Postgres", options.ConnectionString);
        builder.UseSetting("ConnectionStrings:PostgresMigrations", options.MigrationsConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Jobs:Server", "false");
        builder.UseSetting("Invitees:PersonKeySecret", "benchmark-only-person-key-secret-0123456789");
        builder.ConfigureServices(s => s.AddTransient<IStartupFilter>(_ => new Front(this)));
        Configure(builder);
    }

    sealed class Front(BenchHost host) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (ctx, nextMiddleware) =>
            {
                ctx.User = host._identity(ctx);
                if (!await host.HandleBeforeAppAsync(ctx)) await nextMiddleware(ctx);
            });
            next(app);
            // WebApplication hands its endpoint route builder to the pipeline under this key (UseRouting reads it there).
            if (app.Properties.TryGetValue("__EndpointRouteBuilder", out var rb) && rb is IEndpointRouteBuilder routes)
                host.MapBenchEndpoints(routes);
        };
    }
}
