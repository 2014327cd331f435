using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Client.AspNetCore;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// The real application on a loopback port (Kestrel), on the run's test database, serving the built SPA from
/// src/VagaVaraDigital.Api/wwwroot/app. Requests may carry a test identity header
/// ("Authorization: Test role=…;tenant=…;municipality=…") so that every screen can be checked as the role
/// that uses it; the real sign-in flows are exercised through their own screens.
/// </summary>
public sealed class AppServer : WebApplicationFactory<Program>
{
    readonly TestDatabase _database;

    public AppServer(TestDatabase database)
    {
        _database = database;
        Port = FreePort();
        UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SpaRoot => Path.Combine(RepoRoot, "src", "VagaVaraDigital.Api", "wwwroot", "app");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", _database.AppConnectionString);
        builder.UseSetting("ConnectionStrings:PostgresMigrations", _database.OwnerConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "false");
        builder.UseSetting("AdminApp:Path", SpaRoot);
        builder.UseSetting("Jobs:Server", "false");
        builder.UseSetting("PublicLinks:BaseUrl", BaseUrl);   // links in e-mail lead to this app
        builder.UseSetting("Identity:OidcAllowHttp", "true");   // /connect/token on the loopback http port
        builder.UseSetting("Reach:CacheDuration", "00:00:00");   // figures right after the action that changed them
        // A short refresh on purpose: the database reset between tests removes providers behind the catalog's back,
        // so the OpenIddict client's options are rebuilt in the middle of other tests — which must go on unharmed.
        builder.UseSetting("Identity:SsoRefreshInterval", "00:00:05");
        builder.ConfigureLogging(l => l.SetMinimumLevel(Environment.GetEnvironmentVariable("VVD_TEST_LOG") is null ? LogLevel.Warning : LogLevel.Information));
        builder.ConfigureServices(services =>
        {
            services.AddTestIdentity();
            // The app listens on plain http on loopback: let OpenIddict's client take the municipal SSO callback there
            // (Development does the same; Chromium treats 127.0.0.1 as a secure context for the cookies).
            services.Configure<OpenIddictClientAspNetCoreOptions>(o => o.DisableTransportSecurityRequirement = true);
        });
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VagaVaraDigital.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("VagaVaraDigital.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The value of the Authorization header for a test identity.</summary>
    public static string Identity(string role, string? tenantId = null, string? municipality = null) =>
        $"{TestIdentity.SchemeName} role={role};tenant={tenantId};municipality={municipality};id=e2e-{role}-{tenantId}";
}
