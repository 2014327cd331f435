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
        // Every test signs in from the same (absent) client address: the rate-limit test sets its own small limit.
        builder.UseSetting("Identity:SignInPermitLimit", "1000000");
        // The OpenID Connect issuer is fixed (it must not follow the /t/{slug} PathBase); the real-flow tests use HTTPS.
        builder.UseSetting("Identity:Issuer", "https://localhost/");
        builder.ConfigureLogging(l => l.SetMinimumLevel(Environment.GetEnvironmentVariable("VVD_TEST_LOG") is null ? LogLevel.Warning : LogLevel.Information));
        builder.ConfigureServices(services =>
        {
            services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, _ => { });
            services.AddTransient<IStartupFilter, TestIdentityStartupFilter>();
        });
        configure?.Invoke(builder);
    }

    /// <summary>A client signed in as a test identity, on tenant path <c>/t/{slug}/</c> when given.</summary>
    public HttpClient ClientAs(string? role, string? tenantId = null, string? municipality = null, string? tenantSlug = null, string? host = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri($"http://{host ?? "localhost"}/" + (tenantSlug is null ? "" : $"t/{tenantSlug}/")),
        });
        if (role is not null)
        {
            var value = $"role={role};tenant={tenantId};municipality={municipality};id=test-{role}-{tenantId}";
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(TestAuthHandler.SchemeName, value);
        }
        return client;
    }

    /// <summary>Puts the test identity on the request before the platform's pipeline runs.</summary>
    sealed class TestIdentityStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.Authorization.ToString().StartsWith(TestAuthHandler.SchemeName + " ", StringComparison.Ordinal))
                {
                    var result = await context.AuthenticateAsync(TestAuthHandler.SchemeName);
                    if (result.Succeeded) context.User = result.Principal;
                }
                await nextMiddleware(context);
            });
            next(app);
        };
    }

    sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith(SchemeName + " ", StringComparison.Ordinal)) return Task.FromResult(AuthenticateResult.NoResult());
            var parts = header[(SchemeName.Length + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[1].Length > 0).ToDictionary(p => p[0], p => p[1]);
            var claims = new List<Claim>
            {
                new(ClaimTypes.NameIdentifier, parts.GetValueOrDefault("id", "test")),
                new(ClaimTypes.Name, parts.GetValueOrDefault("id", "test")),
            };
            if (parts.TryGetValue("role", out var role)) claims.Add(new Claim(ClaimTypes.Role, role));
            if (parts.TryGetValue("tenant", out var tenant)) claims.Add(new Claim(VvdClaims.Tenant, tenant));
            if (parts.TryGetValue("municipality", out var m)) claims.Add(new Claim(VvdClaims.Municipality, m));
            if (parts.TryGetValue("scope", out var scope)) claims.Add(new Claim("scope", scope));   // client-credentials tokens
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
        }
    }
}
