using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Webcasts;

/// <summary>Helpers for the webcast, invitation, RSVP and attendance tests (tenant A = Uppsala unless said otherwise).</summary>
public abstract partial class WebcastTest : ApiTest
{
    protected const string A = TwoTenants.A, ASlug = TwoTenants.ASlug, AMunicipality = TwoTenants.AMunicipality;

    protected static HttpClient Staff(string tenant = A, string slug = ASlug) => App.ClientAs("CountyEditor", tenant, tenantSlug: slug);

    /// <summary>An anonymous browser on the tenant's path.</summary>
    protected static HttpClient Public(string slug = ASlug) => App.ClientAs(null, tenantSlug: slug);

    /// <summary>"yyyy-MM-ddTHH:mm" in Stockholm time, days from now (always in the future).</summary>
    protected static string LocalInDays(int days, int hour = 10) =>
        DateTime.UtcNow.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + $"T{hour:00}:00";

    protected static object WebcastBody(string startsAt, int? capacity = null, string title = "Digitaliseringen och planprocessen",
        string joinUrl = "https://teams.microsoft.com/l/meetup-join/abc") => new
    {
        title,
        description = "Vad betyder digitaliseringen för samhällsbyggnadsprocessen?\n\nVälkommen!",
        startsAt,
        durationMinutes = 60,
        platform = "teams",
        joinUrl,
        capacity,
        audienceMunicipalities = Array.Empty<string>(),
        audienceRoleCategories = Array.Empty<string>(),
    };

    protected static async Task<JsonElement> CreateScheduledAsync(HttpClient staff, string? startsAt = null, int? capacity = null)
    {
        using var created = await staff.PostAsJsonAsync("api/webcasts", WebcastBody(startsAt ?? LocalInDays(14), capacity));
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var id = (await JsonAsync(created)).GetProperty("id").GetGuid();
        using var scheduled = await staff.PostAsync($"api/webcasts/{id}/schedule", null);
        Assert.That((int)scheduled.StatusCode, Is.EqualTo(200), await scheduled.Content.ReadAsStringAsync());
        return await JsonAsync(scheduled);
    }

    protected static async Task<Guid> AddInviteeAsync(string email, string tenant = A, string municipality = AMunicipality,
        string role = "fortroendevald", string status = "active", bool noLongerInOffice = false, string firstName = "Anna")
    {
        await using var conn = await Database.OpenSuperuserAsync();
        var normalized = email.Trim().ToLowerInvariant();
        return await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO invitees (tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code, role_category,
                                  status, no_longer_in_office)
            VALUES (@tenant, @firstName, 'Testsson', CASE WHEN @status = 'erased' THEN NULL ELSE @email END,
                    CASE WHEN @status = 'erased' THEN NULL ELSE @normalized END, md5(@normalized), @municipality, @role, @status, @noLongerInOffice)
            RETURNING id
            """, new { tenant, email, normalized, municipality, role, status, noLongerInOffice, firstName });
    }

    protected static async Task<int> InviteAsync(HttpClient staff, Guid webcastId, object? filter = null)
    {
        using var r = await staff.PostAsJsonAsync($"api/webcasts/{webcastId}/invitations", filter ?? new { });
        Assert.That((int)r.StatusCode, Is.EqualTo(200), await r.Content.ReadAsStringAsync());
        return (await JsonAsync(r)).GetProperty("created").GetInt32();
    }

    protected static async Task<string> TokenOfAsync(Guid webcastId, string email)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return await conn.ExecuteScalarAsync<string>("""
            SELECT i.token FROM invitations i JOIN invitees v ON v.id = i.invitee_id WHERE i.webcast_id = @webcastId AND v.email = @email
            """, new { webcastId, email }) ?? throw new InvalidOperationException("no invitation for " + email);
    }

    protected static async Task<T> ScalarAsync<T>(string sql, object? param = null)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return (await conn.ExecuteScalarAsync<T>(sql, param))!;
    }

    protected static async Task ExecAsync(string sql, object? param = null)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        await conn.ExecuteAsync(sql, param);
    }

    protected static async Task<string> StatusOfAsync(string token) =>
        await ScalarAsync<string>("SELECT status FROM invitations WHERE token = @token", new { token });

    /// <summary>Fetches the RSVP page and posts the form on it like a browser without JavaScript.</summary>
    protected static async Task<HttpResponseMessage> AnswerByFormAsync(HttpClient browser, string token, string answer)
    {
        var page = await browser.GetStringAsync($"r/{token}");
        var proof = ProofField().Match(page).Groups[1].Value;
        Assert.That(proof, Is.Not.Empty, "the page carries the form proof");
        return await browser.PostAsync($"r/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["proof"] = WebUtility.HtmlDecode(proof),
            ["answer"] = answer,
        }));
    }

    [GeneratedRegex("name=\"proof\" value=\"([^\"]+)\"")]
    private static partial Regex ProofField();

    protected sealed class OutboxRow
    {
        public string Kind { get; init; } = "";
        public string IdempotencyKey { get; init; } = "";
        public string ToAddress { get; init; } = "";
        public Guid? InvitationId { get; init; }
        public string Status { get; init; } = "";
        public string Payload { get; init; } = "";
    }

    protected static async Task<OutboxRow[]> OutboxAsync(string? kind = null)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return (await conn.QueryAsync<OutboxRow>("""
            SELECT kind AS Kind, idempotency_key AS IdempotencyKey, to_address AS ToAddress, invitation_id AS InvitationId,
                   status AS Status, payload::text AS Payload
            FROM email_outbox WHERE (@kind::text IS NULL OR kind = @kind) ORDER BY id
            """, new { kind })).ToArray();
    }

    protected static string AttachmentOf(OutboxRow row) =>
        JsonDocument.Parse(row.Payload).RootElement.GetProperty("attachments")[0].GetProperty("content").GetString()!;
}
