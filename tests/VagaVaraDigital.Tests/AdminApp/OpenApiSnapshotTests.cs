using System.Text.Json;
using System.Text.Json.Nodes;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.AdminApp;

/// <summary>
/// The SPA's typed client is generated from a checked-in snapshot of the OpenAPI document
/// (src/VagaVaraDigital.Admin/openapi.json → src/api/schema.d.ts). This test fails when an operation or a
/// schema the snapshot holds has changed or gone in the live document — the SPA would then be compiled
/// against a stale contract. New endpoints do not fail it. Refresh: tools/refresh-api-client.sh
/// (VVD_REFRESH_OPENAPI=1 makes this test write the live document; npm run api:types regenerates the types).
/// See docs/decisions/0061-openapi-snapshot-for-the-spa-client.md.
/// </summary>
public sealed class OpenApiSnapshotTests : ApiTest
{
    static string SnapshotPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "VagaVaraDigital.Admin", "openapi.json");
            if (File.Exists(Path.Combine(dir.FullName, "VagaVaraDigital.sln"))) return candidate;
        }
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>The live document as the snapshot stores it: no servers (they name the test host), indented.</summary>
    internal static string Normalise(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("servers");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    [Test]
    public async Task Snapshot_matches_the_live_document_for_everything_the_spa_uses()
    {
        using var client = App.ClientAs(null);
        var live = Normalise(await client.GetStringAsync("/openapi/v1.json"));
        var path = SnapshotPath();
        if (Environment.GetEnvironmentVariable("VVD_REFRESH_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, live);
            Assert.Pass($"wrote {path}; now run `npm run api:types` in src/VagaVaraDigital.Admin");
        }

        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        var current = JsonNode.Parse(live)!;
        var stale = new List<string>();
        foreach (var (p, item) in snapshot["paths"]!.AsObject())
        {
            foreach (var (method, op) in item!.AsObject())
            {
                var now = current["paths"]?[p]?[method];
                if (now is null) stale.Add($"{method.ToUpperInvariant()} {p} is gone");
                else if (!JsonNode.DeepEquals(op, now)) stale.Add($"{method.ToUpperInvariant()} {p} changed");
            }
        }
        foreach (var (name, schema) in snapshot["components"]?["schemas"]?.AsObject() ?? [])
        {
            var now = current["components"]?["schemas"]?[name];
            if (now is null) stale.Add($"schema {name} is gone");
            else if (!JsonNode.DeepEquals(schema, now)) stale.Add($"schema {name} changed");
        }
        Assert.That(stale, Is.Empty,
            "The SPA's API snapshot (src/VagaVaraDigital.Admin/openapi.json) is stale. Run tools/refresh-api-client.sh, " +
            "fix what `npm run typecheck` reports in the SPA, and commit both.");
    }
}
