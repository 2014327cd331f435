using System.Net.Http.Json;
using System.Text.Json;

namespace VagaVaraDigital.Tests.Infrastructure;

/// <summary>Base for tests through the API: a clean database before each test.</summary>
public abstract class ApiTest
{
    protected static PlatformFactory App => PlatformFactory.Shared;
    protected static TestDatabase Database => TestRun.Database!;

    [SetUp]
    public async Task ResetDatabaseAsync() => await Database.ResetAsync();

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    protected static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await JsonAsync(response);
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and platform code.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        });
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("status").GetInt32(), Is.EqualTo(status));
            Assert.That(json.TryGetProperty("correlationId", out _), Is.True, "problem carries a correlation id");
            Assert.That(body, Does.Not.Contain("   at "), "no stack trace");
            if (code is not null) Assert.That(json.GetProperty("code").GetString(), Is.EqualTo(code), body);
        });
        return json;
    }

    protected static Task<HttpResponseMessage> PutJsonAsync<T>(HttpClient client, string url, T body) => client.PutAsJsonAsync(url, body);
}
