using System.Net.Http.Json;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Invitees;
using VagaVaraDigital.Tests.Infrastructure;
using static VagaVaraDigital.Tests.Invitees.InviteeTestData;

namespace VagaVaraDigital.Tests.Invitees;

public sealed class ExportAndPrivacyTests : ApiTest
{
    static HttpClient Editor() => App.ClientAs("CountyEditor", TwoTenants.A, tenantSlug: TwoTenants.ASlug);
    static HttpClient Admin() => App.ClientAs("CountyAdmin", TwoTenants.A, tenantSlug: TwoTenants.ASlug);

    static async Task SeedAsync(HttpClient client)
    {
        await CreateAsync(client, Person("Åsa", "Öberg", "asa@uppsala.se", title: "=HYPERLINK(\"http://evil.example\",\"klicka\")", phone: "+46 18 727 00 00"));
        await CreateAsync(client, Person("Bo", "Berg", "bo@knivsta.se", municipality: "0330", title: "@SUM(A1:A2)", notes: "-2+3"));
    }

    [Test]
    public async Task Csv_export_is_utf8_with_bom_and_semicolons_neutralises_formulas_and_is_audited()
    {
        var client = Editor();
        await SeedAsync(client);
        using var response = await client.GetAsync("api/invitees/export?format=csv");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Does.EndWith(".csv"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("Förnamn;Efternamn;E-post;Kommunkod;Kommun;Roll;Titel;Telefon"));
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(lines[1], Does.StartWith("Bo;Berg;bo@knivsta.se;0330;Knivsta;Förtroendevald;'@SUM(A1:A2);;;'-2+3;"));
            Assert.That(lines[2], Does.StartWith("Åsa;Öberg;asa@uppsala.se;0380;Uppsala;Förtroendevald;\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"klicka\"\")\";'+46 18 727 00 00;"));
        });

        // the export imports again unchanged (the apostrophes come off)
        var reimport = await ImportTests.UploadAsync(client, bytes, "export.csv", dryRun: true);
        var report = await reimport.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.That(report.GetProperty("unchanged").GetInt32(), Is.EqualTo(2), report.ToString());

        await using var su = await Database.OpenSuperuserAsync();
        var audit = await su.QuerySingleAsync<string>("SELECT details::text FROM audit_log WHERE action = 'invitees.exported'");
        Assert.That(audit, Does.Contain("\"count\": 2").And.Not.Contain("asa@"));
    }

    [Test]
    public async Task Xlsx_export_follows_the_filter_and_neutralises_formulas()
    {
        var client = Editor();
        await SeedAsync(client);
        using var response = await client.GetAsync("api/invitees/export?format=xlsx&municipality=0380&q=%C3%B6berg");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        using var ms = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = ms.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object>>().ToArray();
        Assert.That(rows, Has.Length.EqualTo(1));
        Assert.That(rows[0]["Efternamn"], Is.EqualTo("Öberg"));
        Assert.That(rows[0]["Titel"], Is.EqualTo("'=HYPERLINK(\"http://evil.example\",\"klicka\")"));
        Assert.That(rows[0]["Telefon"], Is.EqualTo("'+46 18 727 00 00"));
        await using var su = await Database.OpenSuperuserAsync();
        var audit = await su.QuerySingleAsync<string>("SELECT details::text FROM audit_log WHERE action = 'invitees.exported'");
        Assert.That(audit, Does.Contain("\"search\": true").And.Not.Contain("berg"), "the free text is not logged");
    }

    [TestCase("=1+1", "'=1+1")]
    [TestCase("+46", "'+46")]
    [TestCase("-x", "'-x")]
    [TestCase("@x", "'@x")]
    [TestCase("\tx", "'\tx")]
    [TestCase("\rx", "'\rx")]
    [TestCase("Anna", "Anna")]
    [TestCase("", "")]
    public void Neutralises_cells_that_start_like_a_formula(string value, string expected) =>
        Assert.That(InviteeExport.Neutralise(value), Is.EqualTo(expected));

    [Test]
    public async Task The_privacy_notice_is_public_and_editable_by_the_county_admin_only()
    {
        var anonymous = App.ClientAs(null, tenantSlug: TwoTenants.ASlug);
        var notice = await GetJsonAsync(anonymous, "api/privacy");
        Assert.That(notice.GetProperty("legalBasis").GetString(), Does.Contain("allmänt intresse"));
        Assert.That(notice.GetProperty("retentionMonths").GetInt32(), Is.EqualTo(24));
        Assert.That(notice.GetProperty("controller").GetString(), Is.EqualTo("Länsstyrelsen i Uppsala län"));

        var update = new { legalBasis = "Allmänt intresse, art. 6.1 e.", purpose = "Inbjudningar till Våga vara digital.", retentionMonths = 12 };
        using (var r = await Editor().PutAsJsonAsync("api/privacy", update)) await AssertProblemAsync(r, 403);
        using (var r = await Admin().PutAsJsonAsync("api/privacy", update with { retentionMonths = 0 })) await AssertProblemAsync(r, 400, "validation");
        using (var r = await Admin().PutAsJsonAsync("api/privacy", update)) Assert.That((int)r.StatusCode, Is.EqualTo(200));
        notice = await GetJsonAsync(anonymous, "api/privacy");
        Assert.That(notice.GetProperty("purpose").GetString(), Is.EqualTo("Inbjudningar till Våga vara digital."));
        Assert.That(notice.GetProperty("retentionMonths").GetInt32(), Is.EqualTo(12));
        var other = await GetJsonAsync(App.ClientAs(null, tenantSlug: TwoTenants.BSlug), "api/privacy");
        Assert.That(other.GetProperty("retentionMonths").GetInt32(), Is.EqualTo(24), "per tenant");
    }

    [Test]
    public async Task Subject_access_returns_everything_held_about_an_address_and_is_audited()
    {
        await TwoTenants.SeedAsync(Database);
        using var r = await Editor().PostAsJsonAsync("api/invitees/subject-access", new { email = " SYNLIGT-A@kommun.se " });
        Assert.That((int)r.StatusCode, Is.EqualTo(200), await r.Content.ReadAsStringAsync());
        var report = await JsonAsync(r);
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("invitee").GetProperty("firstName").GetString(), Is.EqualTo("synligt-a"));
            Assert.That(report.GetProperty("invitations").GetArrayLength(), Is.EqualTo(1));
            Assert.That(report.GetProperty("invitations")[0].GetProperty("attendedMinutes").GetInt32(), Is.EqualTo(45));
            Assert.That(report.GetProperty("emails").GetArrayLength(), Is.EqualTo(1));
            Assert.That(report.GetProperty("notice").GetProperty("legalBasis").GetString(), Does.Contain("synligt-a"));
            Assert.That(report.GetProperty("importBatch").GetProperty("fileName").GetString(), Is.EqualTo("synligt-a.csv"));
        });
        using var none = await Editor().PostAsJsonAsync("api/invitees/subject-access", new { email = "hemligt-b@kommun.se" });
        var empty = await JsonAsync(none);
        Assert.That(empty.GetProperty("invitee").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "another tenant's person is not found");

        await using var su = await Database.OpenSuperuserAsync();
        var audit = (await su.QueryAsync<string>("SELECT coalesce(target, '') || details::text FROM audit_log WHERE action = 'invitee.subject_access' ORDER BY id")).ToArray();
        Assert.That(audit, Has.Length.EqualTo(2));
        Assert.That(string.Join(" ", audit), Does.Not.Contain("@"));
    }

    [Test]
    public async Task The_retention_purge_erases_only_what_is_past_the_period_and_keeps_counts()
    {
        await TwoTenants.SeedAsync(Database);
        var client = Editor();
        var old = await CreateAsync(client, Person("Gammal", "Uppgift", "gammal@uppsala.se"));
        var fresh = await CreateAsync(client, Person("Ny", "Uppgift", "ny@uppsala.se"));
        await using var su = await Database.OpenSuperuserAsync();
        await su.ExecuteAsync("UPDATE invitees SET created_at = now() - interval '30 months', updated_at = now() - interval '30 months' WHERE email = 'gammal@uppsala.se'");
        // the seeded invitee is old too, but attended recently: kept
        await su.ExecuteAsync("UPDATE invitees SET created_at = now() - interval '30 months', updated_at = now() - interval '30 months' WHERE tenant_id IN ('01', '03') AND email LIKE '%@kommun.se'");
        var keysBefore = await su.ExecuteScalarAsync<long>("SELECT count(DISTINCT person_key) FROM invitees WHERE tenant_id = '03'");

        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InviteeRetention>().RunAsync(TwoTenants.A, CancellationToken.None);
        }

        var statuses = (await su.QueryAsync<(string Email, string Status)>("SELECT coalesce(email, '-'), status FROM invitees WHERE tenant_id = '03' ORDER BY created_at")).ToArray();
        Assert.That(statuses.Count(s => s.Status == "erased"), Is.EqualTo(1));
        Assert.That(statuses.Select(s => s.Email), Does.Not.Contain("gammal@uppsala.se"));
        Assert.That(statuses.Select(s => s.Email), Does.Contain("ny@uppsala.se").And.Contain("synligt-a@kommun.se"));
        Assert.That(await su.ExecuteScalarAsync<string>("SELECT status FROM invitees WHERE tenant_id = '01'"), Is.EqualTo("active"), "other tenants untouched");
        Assert.That(await su.ExecuteScalarAsync<long>("SELECT count(DISTINCT person_key) FROM invitees WHERE tenant_id = '03'"), Is.EqualTo(keysBefore));
        var audit = await su.QuerySingleAsync<string>("SELECT details::text FROM audit_log WHERE action = 'invitees.purged'");
        Assert.That(audit, Does.Contain(old.GetProperty("id").GetString()).And.Not.Contain("gammal"));
        Assert.That(fresh.GetProperty("id").GetString(), Is.Not.Null);

        // the recurring job is registered
        Assert.That(VagaVaraDigital.Api.Jobs.RecurringJobs.All.Select(j => j.Id), Does.Contain(InviteeRetention.JobId));
    }
}
