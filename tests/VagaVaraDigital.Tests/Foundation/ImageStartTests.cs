using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Foundation;

/// <summary>
/// The image's start command without Docker (there is no engine here): the runtime stage of the <c>Dockerfile</c> is read
/// (WORKDIR, ENV, USER, ENTRYPOINT), the API is published into a folder that stands for <c>/app/api</c> with the SPA in
/// <c>wwwroot/app</c> (as the image's build stage puts it), the folder is made read-only, and the entrypoint runs there with
/// the image's environment as the image's numeric user (1654, when the tests run as root) with only TMPDIR writable —
/// what the chart's read-only root filesystem and /tmp emptyDir give it. ADR 0070.
/// </summary>
public sealed partial class ImageStartTests
{
    const string ImageRoot = "/app/api";
    const int AppUid = 1654;   // $APP_UID of the .NET images

    string _dir = "";

    [TearDown]
    public void RemoveFolder()
    {
        if (_dir.Length == 0 || !Directory.Exists(_dir)) return;
        Run("chmod", "-R", "u+w", _dir);
        Directory.Delete(_dir, true);
    }

    [Test]
    public async Task The_published_app_starts_read_only_as_the_numeric_user_and_serves_the_SPA_and_readiness()
    {
        var root = RepositoryRoot();
        var image = RuntimeStage(File.ReadAllText(Path.Combine(root, "Dockerfile")));
        Assert.Multiple(() =>
        {
            Assert.That(image.User, Does.Match(@"^(\$APP_UID|\d+)(:\d+)?$"), "USER must be numeric for runAsNonRoot");
            Assert.That(image.WorkDir, Is.EqualTo(ImageRoot));
            Assert.That(image.Env.GetValueOrDefault("ASPNETCORE_CONTENTROOT"), Is.EqualTo(ImageRoot));
            Assert.That(image.Env.GetValueOrDefault("TMPDIR"), Is.EqualTo("/tmp"));
            Assert.That(image.Entrypoint, Is.EqualTo(new[] { "dotnet", $"{ImageRoot}/VagaVaraDigital.Api.dll" }));
        });

        _dir = Path.Combine(Path.GetTempPath(), "vvd-image-" + Guid.NewGuid().ToString("N")[..8]);
        var app = Path.Combine(_dir, "api");
        var tmp = Path.Combine(_dir, "tmp");
        Directory.CreateDirectory(app);
        Directory.CreateDirectory(tmp);
        Run("chmod", "755", _dir);
        Run("chmod", "1777", tmp);
        // The test build's output, published as the image's build stage does (no build here: the test project built it).
        Run("dotnet", "publish", Path.Combine(root, "src", "VagaVaraDigital.Api", "VagaVaraDigital.Api.csproj"),
            "--no-build", "-c", Configuration, "-o", app, "-nologo", "-v", "q");
        CopySpa(Path.Combine(root, "src", "VagaVaraDigital.Api", "wwwroot", "app"), Path.Combine(app, "wwwroot", "app"));
        Run("chmod", "-R", "a-w", app);
        var filesBefore = Listing(app);

        var database = await TestDatabase.CreateMigratedAsync(TestRun.Server);
        var port = PostgresServer.FreePort();
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = app };
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            start.FileName = "setpriv";
            foreach (var a in new[] { "--reuid", $"{AppUid}", "--regid", $"{AppUid}", "--clear-groups" }) start.ArgumentList.Add(a);
            start.ArgumentList.Add(image.Entrypoint[0]);
        }
        else
        {
            start.FileName = image.Entrypoint[0];
        }
        foreach (var a in image.Entrypoint.Skip(1)) start.ArgumentList.Add(InFolder(a, app));
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = app;   // the image's /home/app is on the read-only root filesystem too
        foreach (var (key, value) in image.Env) start.Environment[key] = InFolder(value, app);
        start.Environment["TMPDIR"] = tmp;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Postgres"] = database.AppConnectionString;
        start.Environment["Invitees__PersonKeySecret"] = "en-hemlighet-for-testet-av-avbildningens-start";

        var output = new StringBuilder();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var ready = await Eventually.WaitForAsync("/health/ready of the published app", async () =>
            {
                if (process.HasExited) return $"exited with {process.ExitCode}";
                try
                {
                    using var r = await http.GetAsync("health/ready");
                    return $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}";
                }
                catch (HttpRequestException e) { return e.Message; }
            }, s => s.StartsWith("200 ", StringComparison.Ordinal) || s.StartsWith("exited", StringComparison.Ordinal), TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(250));
            Assert.That(ready, Does.StartWith("200 "), Captured(output));
            Assert.That(JsonDocument.Parse(ready[4..]).RootElement.GetProperty("status").GetString(), Is.EqualTo("Healthy"));

            var page = await http.GetAsync("t/uppsala/");
            var html = await page.Content.ReadAsStringAsync();
            Assert.Multiple(() =>
            {
                Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
                Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
                Assert.That(html, Does.Contain("<meta name=\"vvd-base\" content=\"/t/uppsala\">"), "the SPA's index from wwwroot/app");
            });
            if (asRoot)
            {
                var status = File.ReadAllText($"/proc/{process.Id}/status");
                Assert.That(UidLine().Match(status).Groups[1].Value, Is.EqualTo($"{AppUid}"), "the process runs as the image's user");
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var log = Captured(output);
        Assert.Multiple(() =>
        {
            Assert.That(Listing(app), Is.EqualTo(filesBefore), "nothing written into the application folder");
            Assert.That(log, Does.Not.Contain("\"LogLevel\":\"Error\"").And.Not.Contain("\"LogLevel\":\"Critical\""), log);
        });
    }

    /// <summary>
    /// The chart runs the image as that user with a read-only root filesystem and /tmp an emptyDir, in both Deployments and the
    /// migration Job (a check of the templates' text: helm is not installable here, see issue 15's chart test).
    /// </summary>
    [Test]
    public void The_chart_runs_every_pod_as_the_numeric_user_with_a_read_only_root_and_a_tmp_emptyDir()
    {
        var chart = Path.Combine(RepositoryRoot(), "charts", "vagavaradigital");
        var values = File.ReadAllText(Path.Combine(chart, "values.yaml"));
        var helpers = File.ReadAllText(Path.Combine(chart, "templates", "_helpers.tpl"));
        Assert.Multiple(() =>
        {
            Assert.That(values, Does.Match($@"(?m)^securityContext:\s*\n\s+runAsUser: {AppUid}\s*\n\s+runAsGroup: {AppUid}\s*$"));
            Assert.That(helpers, Does.Contain("runAsNonRoot: true").And.Contain("runAsUser: {{ .Values.securityContext.runAsUser }}")
                .And.Contain("runAsGroup: {{ .Values.securityContext.runAsGroup }}").And.Contain("readOnlyRootFilesystem: true")
                .And.Contain("emptyDir:").And.Contain("mountPath: /tmp"));
            foreach (var template in new[] { "deployments.yaml", "migrate-job.yaml" })
            {
                var text = File.ReadAllText(Path.Combine(chart, "templates", template));
                foreach (var part in new[] { "vvd.podSecurityContext", "vvd.containerSecurityContext", "vvd.tmpVolume", "vvd.tmpMount" })
                    Assert.That(text, Does.Contain($"include \"{part}\""), $"{template} uses {part}");
                Assert.That(text, Does.Not.Contain("runAsNonRoot: true }"), $"{template}: the pod security context comes from the helper");
            }
        });
    }

    /// <summary>The Dockerfile's last stage: WORKDIR, ENV (with continuation lines), USER and the ENTRYPOINT's exec form.</summary>
    internal static (string WorkDir, Dictionary<string, string> Env, string User, string[] Entrypoint) RuntimeStage(string dockerfile)
    {
        var joined = dockerfile.Replace("\\\r\n", " ").Replace("\\\n", " ");
        var lines = joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stage = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))).ToList();
        string Last(string instruction) => stage.LastOrDefault(l => l.StartsWith(instruction + " ", StringComparison.OrdinalIgnoreCase))?[(instruction.Length + 1)..].Trim() ?? "";
        var env = new Dictionary<string, string>();
        foreach (var line in stage.Where(l => l.StartsWith("ENV ", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (Match m in EnvPair().Matches(line[4..])) env[m.Groups[1].Value] = m.Groups[2].Value.Trim('"');
        }
        var entrypoint = JsonSerializer.Deserialize<string[]>(Last("ENTRYPOINT")) ?? [];
        return (Last("WORKDIR"), env, Last("USER"), entrypoint);
    }

    static string InFolder(string value, string folder) =>
        value == ImageRoot || value.StartsWith(ImageRoot + "/", StringComparison.Ordinal) ? folder + value[ImageRoot.Length..] : value;

    /// <summary>The built SPA when there is one (./test.sh builds it), else a page of the same shape.</summary>
    static void CopySpa(string built, string target)
    {
        Directory.CreateDirectory(target);
        if (File.Exists(Path.Combine(built, "index.html")))
        {
            Run("cp", "-R", built + "/.", target);
            return;
        }
        File.WriteAllText(Path.Combine(target, "index.html"), "<!doctype html><html><head><meta name=\"vvd-base\" content=\"\"></head><body></body></html>");
    }

    static string[] Listing(string dir) => Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
        .Select(f => $"{Path.GetRelativePath(dir, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}").Order().ToArray();

    static string Captured(StringBuilder output) { lock (output) return output.ToString(); }

    static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {stdout}{stderr.Result}");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VagaVaraDigital.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }

#if DEBUG
    const string Configuration = "Debug";
#else
    const string Configuration = "Release";
#endif

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S+)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"^Uid:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex UidLine();
}
