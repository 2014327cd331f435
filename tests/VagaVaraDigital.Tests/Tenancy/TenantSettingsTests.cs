using System.Net;
using System.Net.Http.Json;
using Dapper;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Tenancy;

public sealed class TenantSettingsTests : ApiTest
{
    static object Update(string displayName = "Länsstyrelsen i Uppsala län", int target = 100, string tz = "Europe/Stockholm",
        string? contact = "projekt@lansstyrelsen.se", int threshold = 15) => new
    {
        displayName,
        contactEmail = contact,
        senderName = "Våga vara digital – Uppsala",
        replyToEmail = "svar@lansstyrelsen.se",
        timeZone = tz,
        reachTarget = target,
        attendanceThresholdMinutes = threshold,
        reminderOffsetsMinutes = new[] { 60, 1440, 10080 },
        nudgeOffsetMinutes = 4320,
        followUpDelayMinutes = 1440,
    };

    [Test]
    public async Task Defaults_split_3000_by_municipality_count_and_use_Stockholm_time_and_10_minutes()
    {
        var uppsala = await GetJsonAsync(App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala"), "api/tenant/settings");
        await using var conn = await Database.OpenSuperuserAsync();
        var total = await conn.ExecuteScalarAsync<long>("SELECT sum(reach_target) FROM tenant_settings");

        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(3000));
            Assert.That(uppsala.GetProperty("reachTarget").GetInt32(), Is.EqualTo(83), "8 of 290 municipalities: 3000 × 8 / 290 = 82.8");
            Assert.That(uppsala.GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Stockholm"));
            Assert.That(uppsala.GetProperty("attendanceThresholdMinutes").GetInt32(), Is.EqualTo(10));
            Assert.That(uppsala.GetProperty("reminderOffsetsMinutes").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 10080, 1440, 60 }));
        });
    }

    [Test]
    public async Task CountyAdmin_saves_settings_and_the_change_is_audit_logged_with_what_changed()
    {
        var client = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");
        using var put = await client.PutAsJsonAsync("api/tenant/settings", Update(target: 120));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());

        var settings = await GetJsonAsync(client, "api/tenant/settings");
        var audit = await GetJsonAsync(client, "api/audit");
        var entry = audit.GetProperty("items").EnumerateArray().Single();
        var details = entry.GetProperty("details").GetString()!;

        Assert.Multiple(() =>
        {
            Assert.That(settings.GetProperty("reachTarget").GetInt32(), Is.EqualTo(120));
            Assert.That(settings.GetProperty("attendanceThresholdMinutes").GetInt32(), Is.EqualTo(15));
            Assert.That(entry.GetProperty("action").GetString(), Is.EqualTo("settings.updated"));
            Assert.That(entry.GetProperty("actorId").GetString(), Is.EqualTo("test-CountyAdmin-03"));
            Assert.That(details, Does.Contain("reachTarget").And.Contain("120").And.Contain("83"));
            Assert.That(details, Does.Not.Contain("displayName"), "unchanged fields are not listed");
        });
    }

    [TestCase("", 100, "Europe/Stockholm", "displayName")]
    [TestCase("Ok", -1, "Europe/Stockholm", "reachTarget")]
    [TestCase("Ok", 100, "Mars/Olympus", "timeZone")]
    public async Task Invalid_settings_are_a_validation_problem_and_change_nothing(string name, int target, string tz, string field)
    {
        var client = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");
        var before = await GetJsonAsync(client, "api/tenant/settings");

        using var put = await client.PutAsJsonAsync("api/tenant/settings", Update(name, target, tz));

        var problem = await AssertProblemAsync(put, 400, "validation");
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
        Assert.That((await GetJsonAsync(client, "api/tenant/settings")).ToString(), Is.EqualTo(before.ToString()));
    }

    [Test]
    public async Task Invalid_email_is_refused()
    {
        var client = App.ClientAs("CountyAdmin", "03", tenantSlug: "uppsala");
        using var put = await client.PutAsJsonAsync("api/tenant/settings", Update(contact: "inte en adress"));
        var problem = await AssertProblemAsync(put, 400, "validation");
        Assert.That(problem.GetProperty("errors").TryGetProperty("contactEmail", out _), Is.True);
    }

    [TestCase("CountyEditor", 403)]
    [TestCase("MunicipalUser", 403)]
    [TestCase("NationalViewer", 403)]
    [TestCase(null, 401)]
    public async Task Only_CountyAdmin_and_SystemAdmin_read_settings(string? role, int status)
    {
        using var response = await App.ClientAs(role, role is "NationalViewer" ? null : "03", "0380", tenantSlug: "uppsala").GetAsync("api/tenant/settings");
        await AssertProblemAsync(response, status);
    }

    [Test]
    public async Task SystemAdmin_changes_tenant_state_and_it_lands_in_that_tenants_audit_log()
    {
        using var off = await App.ClientAs("SystemAdmin").PutAsJsonAsync("/api/system/tenants/09/state", new { isActive = false });
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var audit = await GetJsonAsync(App.ClientAs("SystemAdmin", tenantSlug: "gotland"), "api/audit");
        Assert.That(audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "tenant.deactivated" }));

        using var unknown = await App.ClientAs("SystemAdmin").PutAsJsonAsync("/api/system/tenants/99/state", new { isActive = false });
        await AssertProblemAsync(unknown, 404);
        using var notAllowed = await App.ClientAs("CountyAdmin", "09").PutAsJsonAsync("/api/system/tenants/09/state", new { isActive = true });
        await AssertProblemAsync(notAllowed, 403);
    }
}
