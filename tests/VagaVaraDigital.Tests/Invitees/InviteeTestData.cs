using System.Net.Http.Json;
using System.Text.Json;

namespace VagaVaraDigital.Tests.Invitees;

static class InviteeTestData
{
    public static object Person(string first, string last, string email, string? municipality = "0380", string role = "fortroendevald",
        string? title = null, string[]? tags = null, string? phone = null, string? notes = null) =>
        new { firstName = first, lastName = last, email, municipalityCode = municipality, roleCategory = role, title, tags, phone, notes };

    public static async Task<JsonElement> CreateAsync(HttpClient client, object person)
    {
        using var response = await client.PostAsJsonAsync("api/invitees", person);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string[] Names(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("lastName").GetString()!).ToArray();
}
