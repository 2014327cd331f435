using System.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Reach;

/// <summary>
/// Reach tests run against their own host: the clock is fixed at <see cref="ReachFixture.Now"/> and reports are
/// never cached (the database is reset between tests).
/// </summary>
public abstract class ReachTest : ApiTest
{
    internal static PlatformFactory? _reachApp;

    protected static FakeTimeProvider Clock { get; } = new(ReachFixture.Now);

    protected static PlatformFactory ReachApp => _reachApp ??= new PlatformFactory(Database, b =>
    {
        b.UseSetting("Reach:CacheDuration", "00:00:00");
        b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    });

    [SetUp]
    public void ResetClock() => Clock.SetUtcNow(ReachFixture.Now);

    protected static HttpClient Client(string? role, string? tenantId = null, string? municipality = null, string? tenantSlug = null) =>
        ReachApp.ClientAs(role, tenantId, municipality, tenantSlug);

    /// <summary>An API client (client credentials) whose token carries the given scopes and no role.</summary>
    protected static HttpClient ScopedClient(string scopes)
    {
        var client = ReachApp.ClientAs(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Test", $"id=client-lantmateriet;scope={scopes}");
        return client;
    }
}

[SetUpFixture]
public sealed class ReachTestRun
{
    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (ReachTest._reachApp is { } app) await app.DisposeAsync();
    }
}
