using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Foundation;

public sealed class HostTests : ApiTest
{
    [Test]
    public async Task Health_live_and_ready_answer_healthy_on_a_migrated_database()
    {
        var client = App.ClientAs(null);
        using var live = await client.GetAsync("/health/live");
        var ready = await GetJsonAsync(client, "/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Ready_is_unhealthy_while_migrations_are_missing()
    {
        var empty = await TestDatabase.CreateEmptyAsync(TestRun.Server);
        await using (var conn = await empty.OpenSuperuserAsync())
        await using (var cmd = new Npgsql.NpgsqlCommand("""
            DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vvd_app') THEN CREATE ROLE vvd_app LOGIN; END IF; END $$;
            """, conn))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        await using var factory = new PlatformFactory(empty);

        using var ready = await factory.ClientAs(null).GetAsync("/health/ready");
        using var live = await factory.ClientAs(null).GetAsync("/health/live");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        VagaVaraDigital.Api.Data.Migrator.Migrate(empty.Options, NullLogger.Instance);
        using var after = await factory.ClientAs(null).GetAsync("/health/ready");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Unknown_route_is_a_404_problem_with_correlation_id()
    {
        using var response = await App.ClientAs(null).GetAsync("/api/no-such-thing");
        var problem = await AssertProblemAsync(response, 404, "not_found");
        Assert.That(response.Headers.GetValues("X-Correlation-Id").Single(), Is.EqualTo(problem.GetProperty("correlationId").GetString()));
    }

    [Test]
    public async Task A_well_formed_incoming_correlation_id_is_kept()
    {
        var client = App.ClientAs(null);
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "abc12345-test");
        using var response = await client.GetAsync("/api/no-such-thing");
        var problem = await AssertProblemAsync(response, 404);
        Assert.That(problem.GetProperty("correlationId").GetString(), Is.EqualTo("abc12345-test"));
    }

    [Test]
    public async Task Malformed_json_is_a_400_problem_and_changes_nothing()
    {
        var client = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");
        var before = await GetJsonAsync(client, "api/tenant/settings");

        using var response = await client.PutAsync("api/tenant/settings",
            new StringContent("{\"displayName\": \"Trasig", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, 400);
        var after = await GetJsonAsync(client, "api/tenant/settings");
        Assert.That(after.ToString(), Is.EqualTo(before.ToString()));
    }

    [Test]
    public async Task Responses_carry_the_security_headers()
    {
        using var response = await App.ClientAs(null).GetAsync("/health/live");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Multiple(() =>
        {
            Assert.That(csp, Does.Contain("frame-ancestors 'none'"));
            Assert.That(csp, Does.Contain("default-src 'self'"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
        });
    }

    [Test]
    public async Task OpenApi_document_and_docs_ui_are_served()
    {
        var client = App.ClientAs(null);
        var doc = await GetJsonAsync(client, "/openapi/v1.json");
        using var docs = await client.GetAsync("/docs/");

        Assert.That(doc.GetProperty("paths").TryGetProperty("/api/reference/counties", out _), Is.True);
        Assert.That(docs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
