using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Features.Reach;

namespace VagaVaraDigital.Tests.Reach;

/// <summary>
/// The figures of <see cref="ReachFixture"/>, worked out by hand (see the fixture's table). Each expected value
/// says which persons it counts.
/// </summary>
public sealed class ReachReportTests : ReachTest
{
    static readonly DateOnly Today = new(2026, 11, 29);

    static JsonElement Line(JsonElement report, string array, string property, string? value) =>
        report.GetProperty(array).EnumerateArray().Single(e =>
            value is null ? e.GetProperty(property).ValueKind == JsonValueKind.Null : e.GetProperty(property).GetString() == value);

    static int[] Counts(JsonElement line, params string[] properties) => properties.Select(p => line.GetProperty(p).GetInt32()).ToArray();

    [Test]
    public async Task County_report_counts_each_person_once_by_the_definitions()
    {
        await ReachFixture.SeedAsync(Database);
        var r = await GetJsonAsync(Client("CountyAdmin", "03", tenantSlug: "uppsala"), "api/reach");
        var s = r.GetProperty("summary");

        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("version").GetInt32(), Is.EqualTo(1));
            // Reached: P1 (twice, counted once), P2 (20 ≥ 15), P4 (erased, tracked join without minutes). Not P3 (10 < 15).
            Assert.That(s.GetProperty("reached").GetInt32(), Is.EqualTo(3));
            Assert.That(s.GetProperty("target").GetInt32(), Is.EqualTo(83));
            Assert.That(s.GetProperty("percentOfTarget").GetDouble(), Is.EqualTo(3.6), "3 / 83 = 3.61 %");
            // Invited: all but P7 (invitation never sent) = P1 P2 P3 P4 P5 P6 P8.
            Assert.That(s.GetProperty("invited").GetInt32(), Is.EqualTo(7));
            // Answered: P1 P2 P3 P4 P5 (declined) P8 (absent after yes); not P6 (only sent), not P7.
            Assert.That(s.GetProperty("answered").GetInt32(), Is.EqualTo(6));
            // Accepted: P1 P2 P3 P4 P8.
            Assert.That(s.GetProperty("accepted").GetInt32(), Is.EqualTo(5));
            Assert.That(s.GetProperty("reachedLast28Days").GetInt32(), Is.EqualTo(3), "first reached 2, 2 and 16 Nov, all after 1 Nov 12:00");
            // Covered: Uppsala (P1), Enköping (P2), Knivsta (P4) of the county's 8.
            Assert.That(s.GetProperty("municipalitiesCovered").GetInt32(), Is.EqualTo(3));
            Assert.That(s.GetProperty("municipalitiesTotal").GetInt32(), Is.EqualTo(8));

            Assert.That(r.GetProperty("funnel").EnumerateArray().Select(f => f.GetProperty("count").GetInt32()), Is.EqualTo(new[] { 7, 6, 5, 3 }));
            Assert.That(r.GetProperty("definitions").GetProperty("attendanceThresholdMinutes").GetInt32(), Is.EqualTo(15));
            Assert.That(r.GetProperty("definitions").GetProperty("reachedLeader").GetString(), Does.Contain("minst 15 minuter"));
        });
    }

    [Test]
    public async Task County_report_has_lines_per_municipality_role_and_webcast()
    {
        await ReachFixture.SeedAsync(Database);
        var r = await GetJsonAsync(Client("CountyEditor", "03", tenantSlug: "uppsala"), "api/reach");
        string[] ira = ["invited", "accepted", "reached"];

        Assert.Multiple(() =>
        {
            // 8 municipalities of the county + the county board's own line.
            Assert.That(r.GetProperty("municipalities").GetArrayLength(), Is.EqualTo(9));
            Assert.That(Counts(Line(r, "municipalities", "code", "0380"), ira), Is.EqualTo(new[] { 1, 1, 1 }), "P1 (P7 never sent)");
            Assert.That(Counts(Line(r, "municipalities", "code", "0381"), ira), Is.EqualTo(new[] { 1, 1, 1 }), "P2");
            Assert.That(Counts(Line(r, "municipalities", "code", "0305"), ira), Is.EqualTo(new[] { 1, 1, 0 }), "P3 below threshold");
            Assert.That(Counts(Line(r, "municipalities", "code", "0330"), ira), Is.EqualTo(new[] { 1, 1, 1 }), "P4 erased");
            Assert.That(Counts(Line(r, "municipalities", "code", "0331"), ira), Is.EqualTo(new[] { 1, 0, 0 }), "P5 declined");
            Assert.That(Counts(Line(r, "municipalities", "code", "0360"), ira), Is.EqualTo(new[] { 1, 0, 0 }), "Tierp: no one reached");
            Assert.That(Line(r, "municipalities", "code", "0360").GetProperty("covered").GetBoolean(), Is.False);
            Assert.That(Counts(Line(r, "municipalities", "code", "0319"), ira), Is.EqualTo(new[] { 0, 0, 0 }), "no invitees");
            Assert.That(Counts(Line(r, "municipalities", "code", null), ira), Is.EqualTo(new[] { 1, 1, 0 }), "P8, county board");

            Assert.That(Counts(Line(r, "roleCategories", "category", "fortroendevald"), ira), Is.EqualTo(new[] { 3, 2, 2 }), "P1 P4 P6");
            Assert.That(Counts(Line(r, "roleCategories", "category", "kommunledning"), ira), Is.EqualTo(new[] { 1, 1, 1 }), "P2 (P7 not sent)");
            Assert.That(Counts(Line(r, "roleCategories", "category", "forvaltningschef"), ira), Is.EqualTo(new[] { 1, 1, 0 }), "P3");
            Assert.That(Counts(Line(r, "roleCategories", "category", "ovrig"), ira), Is.EqualTo(new[] { 1, 0, 0 }), "P5");
            Assert.That(Counts(Line(r, "roleCategories", "category", "lansstyrelsens_ledning"), ira), Is.EqualTo(new[] { 1, 1, 0 }), "P8");

            // W1: a1 a2 a3 invited (a7 never sent), all accepted, a1 a2 attended, a3 no-show (10 < 15).
            var w1 = Line(r, "webcasts", "id", ReachFixture.W1.ToString());
            Assert.That(Counts(w1, "invited", "accepted", "attended", "noShows"), Is.EqualTo(new[] { 3, 3, 2, 1 }));
            Assert.That(w1.GetProperty("attendanceRate").GetDouble(), Is.EqualTo(66.7), "2 / 3");
            Assert.That(w1.GetProperty("noShowRate").GetDouble(), Is.EqualTo(33.3), "1 / 3");
            // W2: a1 a4 a5 a6 a8 invited; a1 a4 a8 accepted; a1 a4 attended; a8 no-show.
            var w2 = Line(r, "webcasts", "id", ReachFixture.W2.ToString());
            Assert.That(Counts(w2, "invited", "accepted", "attended", "noShows"), Is.EqualTo(new[] { 5, 3, 2, 1 }));
            Assert.That(w2.GetProperty("attendanceRate").GetDouble(), Is.EqualTo(40.0), "2 / 5");
            Assert.That(w2.GetProperty("noShowRate").GetDouble(), Is.EqualTo(33.3), "1 / 3");
            // W3 has not happened: no no-show figure yet.
            var w3 = Line(r, "webcasts", "id", ReachFixture.W3.ToString());
            Assert.That(Counts(w3, "invited", "accepted", "attended"), Is.EqualTo(new[] { 1, 0, 0 }));
            Assert.That(w3.GetProperty("noShows").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task County_report_projects_and_shows_weeks_against_the_target()
    {
        await ReachFixture.SeedAsync(Database);
        var r = await GetJsonAsync(Client("CountyAdmin", "03", tenantSlug: "uppsala"), "api/reach");
        var weeks = r.GetProperty("overTime").GetProperty("weeks").EnumerateArray()
            .Select(w => (w.GetProperty("weekStart").GetString(), w.GetProperty("reachedInWeek").GetInt32(),
                w.GetProperty("reachedCumulative").GetInt32(), w.GetProperty("target").GetInt32())).ToArray();
        var p = r.GetProperty("projection");

        Assert.Multiple(() =>
        {
            // Mondays: 2 Nov (P1, P2), 9 Nov (none), 16 Nov (P4), 23 Nov (this week: none).
            Assert.That(weeks, Is.EqualTo(new[]
            {
                ("2026-11-02", 2, 2, 83), ("2026-11-09", 0, 2, 83), ("2026-11-16", 1, 3, 83), ("2026-11-23", 0, 3, 83),
            }));
            // 3 in the last 28 days; 80 to go: 80 × 28 / 3 = 746.7 → 747 days after 29 Nov 2026 = 15 Dec 2028.
            Assert.That(p.GetProperty("status").GetString(), Is.EqualTo("on_pace"));
            Assert.That(p.GetProperty("date").GetString(), Is.EqualTo("2028-12-15"));
            Assert.That(p.GetProperty("pacePerWeek").GetDouble(), Is.EqualTo(0.75));
        });
    }

    [Test]
    public async Task Stockholm_counts_its_own_threshold_and_a_tracked_join_whatever_its_minutes()
    {
        await ReachFixture.SeedAsync(Database);
        var r = await GetJsonAsync(Client("CountyAdmin", "01", tenantSlug: "stockholm"), "api/reach");
        var s = r.GetProperty("summary");
        var wb1 = Line(r, "webcasts", "id", ReachFixture.WB1.ToString());

        Assert.Multiple(() =>
        {
            // P2 (60 ≥ 10; also reached in Uppsala: counted in both counties), P10 (tracked, 2 min). Not P9 (5 < 10).
            Assert.That(Counts(s, "reached", "invited", "answered", "accepted"), Is.EqualTo(new[] { 2, 3, 3, 3 }));
            Assert.That(s.GetProperty("percentOfTarget").GetDouble(), Is.EqualTo(0.7), "2 / 269 = 0.74 %");
            Assert.That(Counts(s, "municipalitiesCovered", "municipalitiesTotal"), Is.EqualTo(new[] { 2, 26 }));
            Assert.That(Counts(Line(r, "municipalities", "code", "0180"), "invited", "accepted", "reached"), Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That(Counts(wb1, "invited", "accepted", "attended", "noShows"), Is.EqualTo(new[] { 3, 3, 2, 1 }));
        });
    }

    [Test]
    public async Task MunicipalUser_sees_only_their_municipality()
    {
        await ReachFixture.SeedAsync(Database);
        using var response = await Client("MunicipalUser", "03", "0380", tenantSlug: "uppsala").GetAsync("api/reach");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var r = JsonDocument.Parse(body).RootElement;
        var s = r.GetProperty("summary");

        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("municipality").GetString(), Is.EqualTo("0380"));
            Assert.That(r.GetProperty("municipalities").EnumerateArray().Select(m => m.GetProperty("code").GetString()), Is.EqualTo(new[] { "0380" }));
            // Uppsala kommun: P1 (reached), P7 (never sent).
            Assert.That(Counts(s, "reached", "invited", "accepted"), Is.EqualTo(new[] { 1, 1, 1 }));
            Assert.That(s.GetProperty("target").ValueKind, Is.EqualTo(JsonValueKind.Null), "the county's target is not the municipality's");
            // Webcasts count only the municipality's invitees: W1 a1 (a7 not sent), W2 a1.
            Assert.That(Counts(Line(r, "webcasts", "id", ReachFixture.W1.ToString()), "invited", "accepted", "attended"), Is.EqualTo(new[] { 1, 1, 1 }));
            Assert.That(Counts(Line(r, "webcasts", "id", ReachFixture.W2.ToString()), "invited", "accepted", "attended"), Is.EqualTo(new[] { 1, 1, 1 }));
            Assert.That(body, Does.Not.Contain("0381").And.Not.Contain("Enköping").And.Not.Contain("Håbo").And.Not.Contain("Knivsta"));
        });

        using var csv = await Client("MunicipalUser", "03", "0380", tenantSlug: "uppsala").GetAsync("api/reach/export.csv");
        var text = await csv.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("0380").And.Not.Contain("0381").And.Not.Contain("Enköping"));
    }

    [Test]
    public async Task National_report_counts_a_person_once_nationally_and_in_each_county()
    {
        await ReachFixture.SeedAsync(Database);
        var r = await GetJsonAsync(Client("NationalViewer"), "api/national/reach");
        var s = r.GetProperty("summary");
        string[] ira = ["invited", "accepted", "reached"];

        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("version").GetInt32(), Is.EqualTo(1));
            // Reached nationally: P1, P2 (both counties, once), P4, P10 = 4; the county rows add up to 3 + 2 = 5.
            Assert.That(Counts(s, "reached", "invited", "answered", "accepted"), Is.EqualTo(new[] { 4, 9, 8, 7 }),
                "invited: P1–P6, P8, P9, P10; answered: P1–P5, P8, P9, P10; accepted: P1–P4, P8, P9, P10");
            Assert.That(s.GetProperty("target").GetInt32(), Is.EqualTo(3000));
            Assert.That(s.GetProperty("percentOfTarget").GetDouble(), Is.EqualTo(0.1), "4 / 3000 = 0.13 %");
            Assert.That(Counts(s, "municipalitiesCovered", "municipalitiesTotal"), Is.EqualTo(new[] { 5, 290 }),
                "Uppsala, Enköping, Knivsta, Stockholm, Nacka");

            var counties = r.GetProperty("counties");
            Assert.That(counties.GetArrayLength(), Is.EqualTo(21));
            var uppsala = Line(r, "counties", "id", "03");
            Assert.That(Counts(uppsala, "reached", "target", "invited", "answered", "accepted", "municipalitiesCovered", "municipalitiesTotal"),
                Is.EqualTo(new[] { 3, 83, 7, 6, 5, 3, 8 }));
            Assert.That(uppsala.GetProperty("percentOfTarget").GetDouble(), Is.EqualTo(3.6));
            Assert.That(Counts(Line(r, "counties", "id", "01"), "reached", "target", "municipalitiesCovered", "municipalitiesTotal"),
                Is.EqualTo(new[] { 2, 269, 2, 26 }));
            Assert.That(Counts(Line(r, "counties", "id", "14"), "reached", "invited", "target"), Is.EqualTo(new[] { 0, 0, 507 }));

            // 290 municipalities + the county boards' line.
            Assert.That(r.GetProperty("municipalities").GetArrayLength(), Is.EqualTo(291));
            Assert.That(Counts(Line(r, "municipalities", "code", "0180"), ira), Is.EqualTo(new[] { 2, 2, 1 }), "P2, P9; P2 reached");
            Assert.That(Counts(Line(r, "municipalities", "code", "0382"), ira), Is.EqualTo(new[] { 0, 0, 0 }));

            Assert.That(Counts(Line(r, "roleCategories", "category", "fortroendevald"), ira), Is.EqualTo(new[] { 4, 3, 2 }), "P1 P4 P6 P9");
            Assert.That(Counts(Line(r, "roleCategories", "category", "kommunledning"), ira), Is.EqualTo(new[] { 1, 1, 1 }), "P2 once");
            Assert.That(Counts(Line(r, "roleCategories", "category", "forvaltningschef"), ira), Is.EqualTo(new[] { 2, 2, 1 }), "P3 P10");

            // First reached: P1 and P2 on 2 Nov (P2's Uppsala webcast is earlier than Stockholm's), P10 10 Nov, P4 16 Nov.
            var weeks = r.GetProperty("overTime").GetProperty("weeks").EnumerateArray()
                .Select(w => (w.GetProperty("weekStart").GetString(), w.GetProperty("reachedCumulative").GetInt32())).ToArray();
            Assert.That(weeks, Is.EqualTo(new[] { ("2026-11-02", 2), ("2026-11-09", 3), ("2026-11-16", 4), ("2026-11-23", 4) }));
            // 4 in the last 28 days, 2,996 to go: 2996 × 28 / 4 = 20,972 days.
            Assert.That(r.GetProperty("projection").GetProperty("date").GetString(),
                Is.EqualTo(Today.AddDays(20972).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public async Task National_endpoints_return_no_personal_data()
    {
        await ReachFixture.SeedAsync(Database);
        foreach (var url in new[]
                 {
                     "api/national/reach", "api/national/reach/counties", "api/national/reach/counties/03",
                     "api/national/reach/export.csv", "api/national/reach/target",
                 })
        {
            using var response = await Client("NationalViewer").GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            foreach (var personal in ReachFixture.PersonalData)
            {
                Assert.That(body, Does.Not.Contain(personal).IgnoreCase, $"{url} leaks {personal}");
            }
        }

        // The JSON has no field that could hold a person: only the report's own aggregate fields.
        var json = await GetJsonAsync(Client("NationalViewer"), "api/national/reach");
        var names = new HashSet<string>();
        Collect(json, names);
        Assert.That(names, Has.None.Matches<string>(n => n.Contains("email", StringComparison.OrdinalIgnoreCase)
            || n.Contains("firstName", StringComparison.OrdinalIgnoreCase) || n.Contains("lastName", StringComparison.OrdinalIgnoreCase)
            || n.Contains("person", StringComparison.OrdinalIgnoreCase) || n.Contains("invitee", StringComparison.OrdinalIgnoreCase)
            || n.Contains("phone", StringComparison.OrdinalIgnoreCase)));
    }

    static void Collect(JsonElement e, HashSet<string> names)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject()) { names.Add(p.Name); Collect(p.Value, names); }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in e.EnumerateArray()) Collect(x, names);
        }
    }

    [Test]
    public async Task Counties_can_be_sorted_and_one_county_read()
    {
        await ReachFixture.SeedAsync(Database);
        var client = ScopedClient("reach.read");
        var byReached = await GetJsonAsync(client, "api/national/reach/counties");
        var byPercent = await GetJsonAsync(client, "api/national/reach/counties?sort=percent");
        var byName = await GetJsonAsync(client, "api/national/reach/counties?sort=name&order=asc");
        var one = await GetJsonAsync(client, "api/national/reach/counties/01");
        using var missing = await client.GetAsync("api/national/reach/counties/99");

        Assert.Multiple(() =>
        {
            Assert.That(byReached.EnumerateArray().Take(2).Select(c => c.GetProperty("id").GetString()), Is.EqualTo(new[] { "03", "01" }));
            Assert.That(byPercent[0].GetProperty("id").GetString(), Is.EqualTo("03"), "3.6 % before 0.7 %");
            Assert.That(byName[0].GetProperty("name").GetString(), Is.EqualTo("Länsstyrelsen i Blekinge län"));
            Assert.That(one.GetProperty("reached").GetInt32(), Is.EqualTo(2));
        });
        await AssertProblemAsync(missing, 404, "not_found");
    }

    [Test]
    public async Task Exports_are_csv_with_bom_and_semicolons_and_xlsx_with_a_sheet_per_table()
    {
        await ReachFixture.SeedAsync(Database);
        var client = Client("CountyAdmin", "03", tenantSlug: "uppsala");
        using var csv = await client.GetAsync("api/reach/export.csv?table=kommuner");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 BOM");
            Assert.That(lines[0], Is.EqualTo("Kommunkod;Kommun;Inbjudna;Tackat ja;Nådda;Täckt"));
            Assert.That(lines, Does.Contain("0380;Uppsala;1;1;1;ja"));
            Assert.That(lines, Does.Contain("0360;Tierp;1;0;0;nej"));
            Assert.That(csv.Content.Headers.ContentDisposition?.FileName, Does.Contain("rackvidd-uppsala-2026-11-29.csv"));
        });

        using var all = await client.GetAsync("api/reach/export.csv");
        var allText = await all.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(allText, Does.Contain("Andel av målet %;3,6"), "Swedish decimal comma");
            Assert.That(allText, Does.Contain("Digitaliseringen och planprocessen;2026-11-02 09:00;3;3;2;66,7;1;33,3"));
            Assert.That(allText, Does.Contain("'=Framtidens samhällsbyggnad"), "a title that looks like a formula stays text");
        });
        using var badTable = await client.GetAsync("api/reach/export.csv?table=nope");
        await AssertProblemAsync(badTable, 400, "unknown_table");

        foreach (var (c, url) in new[] { (client, "api/reach/export.xlsx"), (Client("NationalViewer"), "api/national/reach/export.xlsx") })
        {
            using var xlsx = await c.GetAsync(url);
            var data = await xlsx.Content.ReadAsByteArrayAsync();
            Assert.That(xlsx.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            using var stream = new MemoryStream(data);
            var sheets = MiniExcelLibs.MiniExcel.GetSheetNames(stream);
            Assert.That(sheets, Does.Contain("Kommuner").And.Contain("Rollkategorier").And.Contain("Veckor").And.Contain("Sammanfattning"), url);
            stream.Position = 0;
            var municipalities = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true, sheetName: "Kommuner").Cast<IDictionary<string, object>>().ToArray();
            Assert.That(municipalities.Any(m => (string)m["Kommunkod"] == "0380" && Convert.ToInt32(m["Nådda"]) == 1), Is.True, url);
        }
    }

    [Test]
    public async Task Nightly_snapshot_records_every_tenant_once_a_day_and_feeds_the_series()
    {
        await ReachFixture.SeedAsync(Database);
        await using (var scope = ReachApp.Services.CreateAsyncScope())
        {
            var snapshots = scope.ServiceProvider.GetRequiredService<ReachSnapshots>();
            Assert.That(await snapshots.TakeAllAsync(), Is.EqualTo(21));
            Assert.That(await snapshots.TakeAllAsync(), Is.EqualTo(21), "a second run the same day replaces the day's rows");
        }
        // The recurring job runs the same code per tenant, in that tenant's scope.
        Assert.That(Api.Jobs.RecurringJobs.All.Select(j => (j.Id, j.Cron)), Does.Contain(("reach.nightly-snapshot", "15 2 * * *")));
        await Api.Jobs.TenantJobScope.RunAsync<ReachSnapshots>(ReachApp.Services, "03", j => j.RunAsync("03", CancellationToken.None));

        var county = await GetJsonAsync(Client("CountyAdmin", "03", tenantSlug: "uppsala"), "api/reach");
        var point = county.GetProperty("overTime").GetProperty("snapshots").EnumerateArray().Single();
        var national = await GetJsonAsync(Client("SystemAdmin"), "api/national/reach");
        var nationalPoint = national.GetProperty("overTime").GetProperty("snapshots").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(point.GetProperty("date").GetString(), Is.EqualTo("2026-11-29"));
            Assert.That(Counts(point, "invited", "answered", "accepted", "reached"), Is.EqualTo(new[] { 7, 6, 5, 3 }));
            // Distinct persons nationally, not the counties' sum (Uppsala 7/6/5/3 + Stockholm 3/3/3/2 = 10/9/8/5):
            // P2 was invited, answered, accepted and reached in both counties and counts once → 9/8/7/4.
            Assert.That(Counts(nationalPoint, "invited", "answered", "accepted", "reached"), Is.EqualTo(new[] { 9, 8, 7, 4 }));
        });
    }

    [Test]
    public async Task SystemAdmin_sets_the_national_target()
    {
        await ReachFixture.SeedAsync(Database);
        using var bad = await Client("SystemAdmin").PutAsync("api/national/reach/target", Json(new { target = 0 }));
        await AssertProblemAsync(bad, 400, "validation");
        using var forbidden = await Client("NationalViewer").PutAsync("api/national/reach/target", Json(new { target = 8 }));
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var ok = await Client("SystemAdmin").PutAsync("api/national/reach/target", Json(new { target = 8 }));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var same = await Client("SystemAdmin").PutAsync("api/national/reach/target", Json(new { target = 8 }));
        Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Audited in every county's log (old and new value), once per change; the refused and unchanged requests are not.
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            var entries = (await Dapper.SqlMapper.QueryAsync<(string Tenant, string Target, string Details)>(conn, """
                SELECT tenant_id, target, details::text FROM audit_log WHERE action = 'reach.national_target_changed' ORDER BY tenant_id
                """)).ToArray();
            Assert.That(entries, Has.Length.EqualTo(21), "one entry per county");
            Assert.That(entries.Select(e => e.Target).Distinct(), Is.EqualTo(new[] { "reach:national-target" }));
            Assert.That(entries.Select(e => JsonDocument.Parse(e.Details).RootElement).Select(d => (d.GetProperty("from").GetInt32(), d.GetProperty("to").GetInt32())).Distinct(),
                Is.EqualTo(new[] { (3000, 8) }));
        }
        var log = await GetJsonAsync(Client("CountyAdmin", "03", tenantSlug: "uppsala"), "api/audit");
        Assert.That(log.ToString(), Does.Contain("reach.national_target_changed"), "the county sees it in its audit log");
        var r = await GetJsonAsync(Client("NationalViewer"), "api/national/reach");
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("summary").GetProperty("target").GetInt32(), Is.EqualTo(8));
            Assert.That(r.GetProperty("summary").GetProperty("percentOfTarget").GetDouble(), Is.EqualTo(50.0), "4 / 8");
        });
    }

    static StringContent Json(object o) => new(JsonSerializer.Serialize(o), Encoding.UTF8, "application/json");
}
