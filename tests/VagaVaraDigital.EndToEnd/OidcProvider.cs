using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace VagaVaraDigital.EndToEnd;

/// <summary>
/// The minimal external OpenID Connect provider (tests/support/VagaVaraDigital.OidcTestProvider) as a second process
/// on a loopback port — a municipality's own login, as in the integration tests' MunicipalSsoTests. It signs in
/// whoever the login_hint names, without a screen of its own.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    readonly Process _process;
    static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    OidcProvider(Process process, string issuer) => (_process, Issuer) = (process, issuer);

    public string Issuer { get; }

    public static async Task<OidcProvider> StartAsync()
    {
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);   // …/tests/VagaVaraDigital.EndToEnd/bin/<Config>/net10.0
        var configuration = testDir.Parent!.Name;
        var dll = Path.Combine(AppServer.RepoRoot, "tests", "support", "VagaVaraDigital.OidcTestProvider", "bin", configuration, "net10.0",
            "VagaVaraDigital.OidcTestProvider.dll");
        Assert.That(File.Exists(dll), Is.True, $"build the solution first: {dll}");

        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
        var issuer = $"http://127.0.0.1:{port}/";
        var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{port}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_NOLOGO"] = "1" },
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var provider = new OidcProvider(process, issuer);
        for (var i = 0; i < 150; i++)
        {
            try
            {
                using var r = await Http.GetAsync(issuer + ".well-known/openid-configuration");
                if (r.IsSuccessStatusCode) return provider;
            }
            catch (HttpRequestException) { }
            if (process.HasExited) break;
            await Task.Delay(200);
        }
        await provider.DisposeAsync();
        Assert.Fail("the test OIDC provider did not start");
        return null!;
    }

    /// <summary>Registers the platform as a confidential client with its redirect URI.</summary>
    public async Task RegisterClientAsync(string clientId, string clientSecret, string redirectUri)
    {
        using var registered = await Http.PostAsJsonAsync(Issuer + "test/clients", new { clientId, clientSecret, redirectUri });
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await registered.Content.ReadAsStringAsync());
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
