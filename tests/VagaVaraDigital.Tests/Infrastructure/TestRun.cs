using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests;

/// <summary>Starts PostgreSQL and migrates one database for the whole run.</summary>
[SetUpFixture]
public sealed class TestRun
{
    public static PostgresServer Server { get; private set; } = null!;
    public static TestDatabase? Database { get; private set; }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Server = await PostgresServer.StartAsync();
        Database = await TestDatabase.CreateMigratedAsync(Server);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await PlatformFactory.DisposeSharedAsync();
        await Server.DisposeAsync();
    }
}
