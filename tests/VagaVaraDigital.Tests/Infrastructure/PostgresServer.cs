using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;

namespace VagaVaraDigital.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server for the test run, in this order: VVD_TEST_POSTGRES (a superuser connection string,
/// set by ./test.sh), Testcontainers when a Docker engine answers, else a private throwaway cluster
/// started here with the installed PostgreSQL binaries.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    PostgreSqlContainer? _container;
    string? _clusterDir;
    string? _pgBin;

    public string SuperuserConnectionString { get; private set; } = "";

    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        var fromEnv = Environment.GetEnvironmentVariable("VVD_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            server.SuperuserConnectionString = fromEnv;
        }
        else if (DockerAnswers())
        {
            server._container = new PostgreSqlBuilder("postgres:15").Build();
            await server._container.StartAsync();
            server.SuperuserConnectionString = server._container.GetConnectionString();
        }
        else
        {
            server.StartPrivateCluster();
        }
        return server;
    }

    static bool DockerAnswers()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is null && !File.Exists("/var/run/docker.sock")) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            { RedirectStandardOutput = true, RedirectStandardError = true });
            return p is not null && p.WaitForExit(5000) && p.ExitCode == 0;
        }
        catch (Exception)
        {
            return false;
        }
    }

    void StartPrivateCluster()
    {
        _pgBin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (_pgBin is null) throw new InvalidOperationException("No PostgreSQL: set VVD_TEST_POSTGRES or install postgresql.");

        _clusterDir = Path.Combine(Path.GetTempPath(), $"vvd-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(_clusterDir);
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot) Run("chown", $"postgres: {_clusterDir}");
        RunPg("initdb", $"-D {_clusterDir}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8", asRoot);
        RunPg("pg_ctl", $"-D {_clusterDir}/data -l {_clusterDir}/log -o \"-p {port} -c listen_addresses=127.0.0.1 -k {_clusterDir} -c fsync=off -c max_connections=300\" -w start", asRoot);
        SuperuserConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    void RunPg(string program, string args, bool asRoot) =>
        Run(asRoot ? "runuser" : Path.Combine(_pgBin!, program), asRoot ? $"-u postgres -- {Path.Combine(_pgBin!, program)} {args}" : args);

    static void Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args} failed: {stderr.Result}");
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_container is not null) await _container.DisposeAsync();
        if (_clusterDir is not null)
        {
            try { RunPg("pg_ctl", $"-D {_clusterDir}/data -m immediate stop", Environment.UserName == "root"); } catch (InvalidOperationException) { }
            try { Directory.Delete(_clusterDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
