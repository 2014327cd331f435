using Microsoft.Playwright;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.EndToEnd;

/// <summary>One PostgreSQL, one migrated database, one app on a loopback port and one Chromium for the run.</summary>
[SetUpFixture]
public sealed class E2ERun
{
    public static PostgresServer Server { get; private set; } = null!;
    public static TestDatabase Database { get; private set; } = null!;
    public static AppServer App { get; private set; } = null!;
    public static IPlaywright Playwright { get; private set; } = null!;
    public static IBrowser Browser { get; private set; } = null!;

    public static string Artifacts { get; } = Path.Combine(AppServer.RepoRoot, "artifacts", "e2e");

    public const string ChromiumPath = "/usr/bin/chromium";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!File.Exists(Path.Combine(AppServer.SpaRoot, "index.html")))
            Assert.Fail($"The SPA is not built ({AppServer.SpaRoot}): run `npm run build` in src/VagaVaraDigital.Admin (./test.sh does).");
        if (!File.Exists(ChromiumPath))
            Assert.Fail($"{ChromiumPath} is missing: apt-get install chromium (./test.sh does).");
        Directory.CreateDirectory(Artifacts);

        Server = await PostgresServer.StartAsync();
        Database = await TestDatabase.CreateMigratedAsync(Server);
        App = new AppServer(Database);
        App.StartServer();

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }
}
