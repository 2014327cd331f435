using System.Net.Http.Headers;
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
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Tests.Infrastructure;

/// <summary>
/// The real API in-process, on the run's database, connecting as the application role. Requests may carry
/// a test identity ("Authorization: Test role=…;tenant=…") so that features can be tested by role before
/// and besides the real sign-in flows, which have their own tests.
/// </summary>
public sealed class PlatformFactory(TestDatabase? database, Action<IWebHostBuilder>? configure = null) : WebApplicationFactory<Program>
{
    static PlatformFactory? _shared;

    /// <summary>One factory for the run (the database is reset between tests, not the host).</summary>
    public static PlatformFactory Shared => _shared ??= new PlatformFactory(
        TestRun.Database ?? throw new InvalidOperationException("The test run's database is not ready yet."));

    /// <summary>The app's endpoints, for test case sources (evaluated before the database exists).</summary>
    public static IReadOnlyList<Microsoft.AspNetCore.Http.Endpoint> Endpoints()
    {
        using var factory = new PlatformFactory(null);
        return factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints.ToArray();
    }

    public static async Task DisposeSharedAsync()
    {
        if (_shared is not null) await _shared.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Without a database (test discovery reads only the endpoint list) the data source is never opened.
        builder.UseSetting("ConnectionStrings:Postgres", database?.AppConnectionString ?? "Host=127.0.0.1;Port=1;Database=none;Username=none");
        builder.UseSetting("ConnectionStrings:PostgresMigrations", database?.OwnerConnectionString ?? "");
        builder.UseSetting("Database:MigrateOnStartup", "false");
        builder.UseSetting("Tenancy:BaseDomain", "vagavaradigital.test");
        // No job server (nor outbox sender) in the shared host: tests run jobs directly or start a server on purpose.
        builder.UseSetting("Jobs:Server", "false");
        // Every test signs in from the same (absent) client address, often as the same account: the rate-limit tests set their own small limits.
        builder.UseSetting("Identity:SignInPermitLimit", "1000000");
        builder.UseSetting("Identity:SignInAccountPermitLimit", "1000000");
        // The OpenID Connect issuer is fixed (it must not follow the /t/{slug} PathBase); the real-flow tests use HTTPS.
        builder.UseSetting("Identity:Issuer", "https://localhost/");
        // The database is reset between tests: the shared host keeps its OpenID Connect keys (rotation tests refresh by hand).
        builder.UseSetting("Identity:OidcKeyRefreshInterval", "00:00:00");
        builder.ConfigureLogging(l => l.SetMinimumLevel(Environment.GetEnvironmentVariable("VVD_TEST_LOG") is null ? LogLevel.Warning : LogLevel.Information));
        builder.ConfigureServices(services =>
        {
            services.AddTestIdentity();
        });
        configure?.Invoke(builder);
    }

    /// <summary>A client signed in as a test identity, on tenant path <c>/t/{slug}/</c> when given.</summary>
    public HttpClient ClientAs(string? role, string? tenantId = null, string? municipality = null, string? tenantSlug = null, string? host = null,
        string? userId = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri($"http://{host ?? "localhost"}/" + (tenantSlug is null ? "" : $"t/{tenantSlug}/")),
        });
        if (role is not null)
        {
            var value = $"role={role};tenant={tenantId};municipality={municipality};id={userId ?? $"test-{role}-{tenantId}"}";
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(TestIdentity.SchemeName, value);
        }
        return client;
    }
}

public static class PlatformFactoryClients
{
    /// <summary>A client on https://localhost/ (the OpenID Connect endpoints require TLS), no redirects, no cookies.</summary>
    public static HttpClient HttpsClient(this WebApplicationFactory<Program> app) => app.CreateClient(new WebApplicationFactoryClientOptions
    { BaseAddress = new Uri("https://localhost/"), AllowAutoRedirect = false, HandleCookies = false });
}
