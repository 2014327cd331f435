using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using MiniExcelLibs;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Invitees;

/// <summary>Import of realistic files — the way Swedish Excel, Google Sheets and Outlook export them — and of broken ones.</summary>
public sealed class ImportTests : ApiTest
{
    static ImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    static HttpClient Editor() => App.ClientAs("CountyEditor", TwoTenants.A, tenantSlug: TwoTenants.ASlug);

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName, bool dryRun = false,
        string? policy = null, string? mapping = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        form.Add(new StringContent(dryRun ? "true" : "false"), "dryRun");
        if (policy is not null) form.Add(new StringContent(policy), "policy");
        if (mapping is not null) form.Add(new StringContent(mapping), "mapping");
        form.Add(file, "file", fileName);
        return await client.PostAsync("api/invitees/imports", form);
    }

    static async Task<JsonElement> ImportOkAsync(HttpClient client, byte[] content, string fileName, bool dryRun = false, string? policy = null, string? mapping = null)
    {
        using var response = await UploadAsync(client, content, fileName, dryRun, policy, mapping);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    static async Task<long> CountAsync(string where = "TRUE")
    {
        await using var su = await Database.OpenSuperuserAsync();
        return await su.ExecuteScalarAsync<long>($"SELECT count(*) FROM invitees WHERE tenant_id = '{TwoTenants.A}' AND {where}");
    }

    /// <summary>What Swedish Excel writes for "CSV (semikolonavgränsad)": Windows-1252, ';', CRLF, quotes where needed.</summary>
    static readonly string SwedishExcel = string.Join("\r\n",
        "Förnamn;Efternamn;E-post;Kommun;Roll;Titel;Telefon",
        "Åsa;Öberg;asa.oberg@uppsala.se;Uppsala;Förtroendevald;Kommunstyrelsens ordförande;018-727 00 00",
        "Per-Åke;Ärlig;per-ake.arlig@knivsta.se; knivsta ;Kommunledning/ledande tjänsteman;\"Kommundirektör; tf\";",
        "Märta;Ödmark;MARTA.ODMARK@Tierp.se;0360;Förvaltningschef (samhällsbyggnad);\"Chef för \"\"Samhällsbyggnad\"\"\r\noch miljö\";",
        "Göran;Åkesson;goran.akesson@lansstyrelsen.se;Länsstyrelsen;Länsstyrelsens ledning;Landshövding;",
        "") + "\r\n";

    [Test]
    public async Task Windows_1252_semicolon_file_with_Swedish_headers_imports_with_å_ä_ö_intact()
    {
        var client = Editor();
        var report = await ImportOkAsync(client, Encoding.GetEncoding(1252).GetBytes(SwedishExcel), "kommunledare.csv");
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("encoding").GetString(), Is.EqualTo("windows-1252"));
            Assert.That(report.GetProperty("delimiter").GetString(), Is.EqualTo(";"));
            Assert.That(report.GetProperty("committed").GetBoolean(), Is.True);
            Assert.That(report.GetProperty("rows").GetInt32(), Is.EqualTo(4));
            Assert.That(report.GetProperty("created").GetInt32(), Is.EqualTo(4));
            Assert.That(report.GetProperty("errorCount").GetInt32(), Is.Zero);
        });

        var page = await GetJsonAsync(client, "api/invitees");
        var items = page.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("lastName").GetString()!);
        Assert.That(items.Keys, Is.EquivalentTo(new[] { "Öberg", "Ärlig", "Ödmark", "Åkesson" }));
        Assert.Multiple(() =>
        {
            Assert.That(items["Öberg"].GetProperty("firstName").GetString(), Is.EqualTo("Åsa"));
            Assert.That(items["Öberg"].GetProperty("municipalityCode").GetString(), Is.EqualTo("0380"));
            Assert.That(items["Ärlig"].GetProperty("municipalityCode").GetString(), Is.EqualTo("0330"), "name matched ignoring case and space");
            Assert.That(items["Ärlig"].GetProperty("title").GetString(), Is.EqualTo("Kommundirektör; tf"));
            Assert.That(items["Ärlig"].GetProperty("roleCategory").GetString(), Is.EqualTo("kommunledning"));
            Assert.That(items["Ödmark"].GetProperty("title").GetString(), Is.EqualTo("Chef för \"Samhällsbyggnad\"\r\noch miljö"));
            Assert.That(items["Ödmark"].GetProperty("municipalityCode").GetString(), Is.EqualTo("0360"));
            Assert.That(items["Åkesson"].GetProperty("municipalityCode").ValueKind, Is.EqualTo(JsonValueKind.Null), "the county board itself");
            Assert.That(items["Öberg"].GetProperty("source").GetString(), Is.EqualTo("import"));
        });

        var batches = await GetJsonAsync(client, "api/invitees/imports");
        Assert.That(batches.GetArrayLength(), Is.EqualTo(1));
        Assert.That(batches[0].GetProperty("fileName").GetString(), Is.EqualTo("kommunledare.csv"));
        Assert.That(batches[0].GetProperty("createdCount").GetInt32(), Is.EqualTo(4));
        Assert.That(batches[0].GetProperty("createdBy").GetString(), Is.EqualTo($"test-CountyEditor-{TwoTenants.A}"));
        Assert.That(items["Öberg"].GetProperty("importBatchId").GetString(), Is.EqualTo(batches[0].GetProperty("id").GetString()));

        await using var su = await Database.OpenSuperuserAsync();
        var audit = await su.QuerySingleAsync<string>("SELECT details::text FROM audit_log WHERE action = 'invitees.imported'");
        Assert.That(audit, Does.Contain("\"created\": 4").And.Not.Contain("oberg"));
    }

    [Test]
    public async Task Utf8_bom_comma_file_with_English_headers_and_one_name_column()
    {
        var csv = "\uFEFFName,Email,Municipality,Role,Title\n" +
                  "Anna Lind,anna.lind@enkoping.se,ENKÖPING,Elected official,\"Chair, municipal board\"\n" +
                  "\"Berg, Olle\",olle.berg@heby.se,0331,senior official,\n";
        var report = await ImportOkAsync(Editor(), Encoding.UTF8.GetBytes(csv).Skip(0).ToArray(), "leaders.csv");
        Assert.That(report.GetProperty("encoding").GetString(), Is.EqualTo("utf-8-bom"));
        Assert.That(report.GetProperty("delimiter").GetString(), Is.EqualTo(","));
        Assert.That(report.GetProperty("created").GetInt32(), Is.EqualTo(2));
        await using var su = await Database.OpenSuperuserAsync();
        var rows = (await su.QueryAsync<(string First, string Last, string M, string Role, string? Title)>(
            "SELECT first_name, last_name, municipality_code, role_category, title FROM invitees ORDER BY last_name")).ToArray();
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("Olle", "Berg", "0331", "kommunledning", (string?)null),
            ("Anna", "Lind", "0381", "fortroendevald", "Chair, municipal board"),
        }));
    }

    [Test]
    public async Task Utf16_tab_file_imports()
    {
        var text = "Förnamn\tEfternamn\tEpost\tKommunkod\r\nÖrjan\tÅström\torjan@håbo.se\t0305\r\nÄlva\tÖst\talva@alvkarleby.se\t0319\r\n";
        var bytes = new UnicodeEncoding(false, true).GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();
        var report = await ImportOkAsync(Editor(), bytes, "export.txt");
        Assert.That(report.GetProperty("encoding").GetString(), Is.EqualTo("utf-16le"));
        Assert.That(report.GetProperty("delimiter").GetString(), Is.EqualTo("tab"));
        Assert.That(report.GetProperty("created").GetInt32(), Is.EqualTo(2));
        Assert.That(await CountAsync("last_name = 'Åström' AND email_normalized = 'orjan@håbo.se'"), Is.EqualTo(1));

        // without a byte order mark too
        var report2 = await ImportOkAsync(Editor(), Encoding.Unicode.GetBytes(text.Replace("orjan", "orjan2").Replace("alva@", "alva2@")), "export2.txt", dryRun: true);
        Assert.That(report2.GetProperty("encoding").GetString(), Is.EqualTo("utf-16le"));
        Assert.That(report2.GetProperty("created").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Xlsx_with_numeric_municipality_codes_imports()
    {
        var rows = new[]
        {
            new Dictionary<string, object> { ["Förnamn"] = "Karin", ["Efternamn"] = "Älvsbo", ["E-post"] = "karin@osthammar.se", ["Kommunkod"] = 382, ["Roll"] = "Förvaltningschef", ["Taggar"] = "ks, 2026" },
            new Dictionary<string, object> { ["Förnamn"] = "Lars", ["Efternamn"] = "Ek", ["E-post"] = "lars.ek@uppsala.se", ["Kommunkod"] = "0380", ["Roll"] = "", ["Taggar"] = "" },
        };
        using var ms = new MemoryStream();
        await ms.SaveAsAsync(rows, excelType: ExcelType.XLSX);
        var report = await ImportOkAsync(Editor(), ms.ToArray(), "ledare.xlsx");
        Assert.That(report.GetProperty("format").GetString(), Is.EqualTo("xlsx"));
        Assert.That(report.GetProperty("created").GetInt32(), Is.EqualTo(2), report.ToString());
        await using var su = await Database.OpenSuperuserAsync();
        var karin = await su.QuerySingleAsync<(string M, string Role, string[] Tags)>("SELECT municipality_code, role_category, tags FROM invitees WHERE last_name = 'Älvsbo'");
        Assert.That(karin.M, Is.EqualTo("0382"));
        Assert.That(karin.Role, Is.EqualTo("forvaltningschef"));
        Assert.That(karin.Tags, Is.EquivalentTo(new[] { "ks", "2026" }));
        Assert.That(await su.ExecuteScalarAsync<string>("SELECT role_category FROM invitees WHERE last_name = 'Ek'"), Is.EqualTo("ovrig"));
    }

    [Test]
    public async Task Importing_the_same_file_twice_changes_nothing_and_the_policy_decides_about_existing_addresses()
    {
        var client = Editor();
        var bytes = Encoding.GetEncoding(1252).GetBytes(SwedishExcel);
        await ImportOkAsync(client, bytes, "a.csv");
        await using var su = await Database.OpenSuperuserAsync();
        var before = (await su.QueryAsync<string>("SELECT row_to_json(i)::text FROM invitees i ORDER BY id")).ToArray();

        var again = await ImportOkAsync(client, bytes, "a.csv");
        Assert.Multiple(() =>
        {
            Assert.That(again.GetProperty("created").GetInt32(), Is.Zero);
            Assert.That(again.GetProperty("updated").GetInt32(), Is.Zero);
            Assert.That(again.GetProperty("unchanged").GetInt32(), Is.EqualTo(4));
        });
        Assert.That((await su.QueryAsync<string>("SELECT row_to_json(i)::text FROM invitees i ORDER BY id")).ToArray(), Is.EqualTo(before));

        // a corrected title: skip leaves it, update changes it; a dry run tells which without changing anything
        var changed = Encoding.GetEncoding(1252).GetBytes(SwedishExcel.Replace("Landshövding", "Länsråd"));
        var skip = await ImportOkAsync(client, changed, "b.csv", policy: "skip");
        Assert.That(skip.GetProperty("skipped").GetInt32(), Is.EqualTo(1));
        Assert.That(await CountAsync("title = 'Landshövding'"), Is.EqualTo(1));
        var dry = await ImportOkAsync(client, changed, "b.csv", dryRun: true, policy: "update");
        Assert.That(dry.GetProperty("updated").GetInt32(), Is.EqualTo(1));
        Assert.That(dry.GetProperty("unchanged").GetInt32(), Is.EqualTo(3));
        Assert.That(dry.GetProperty("committed").GetBoolean(), Is.False);
        Assert.That(await CountAsync("title = 'Landshövding'"), Is.EqualTo(1));
        var update = await ImportOkAsync(client, changed, "b.csv", policy: "update");
        Assert.That(update.GetProperty("updated").GetInt32(), Is.EqualTo(1));
        Assert.That(await CountAsync("title = 'Länsråd'"), Is.EqualTo(1));
        Assert.That((await GetJsonAsync(client, "api/invitees/imports")).GetArrayLength(), Is.EqualTo(4), "dry runs are not recorded");
    }

    [Test]
    public async Task A_dry_run_creates_nothing()
    {
        var dry = await ImportOkAsync(Editor(), Encoding.GetEncoding(1252).GetBytes(SwedishExcel), "a.csv", dryRun: true);
        Assert.That(dry.GetProperty("created").GetInt32(), Is.EqualTo(4));
        Assert.That(dry.GetProperty("dryRun").GetBoolean(), Is.True);
        Assert.That(await CountAsync(), Is.Zero);
        Assert.That((await GetJsonAsync(Editor(), "api/invitees/imports")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Every_invalid_row_is_reported_in_Swedish_and_English_and_nothing_is_imported()
    {
        var csv = string.Join("\r\n",
            "Förnamn;Efternamn;E-post;Kommun;Roll;Titel",
            "Anna;Andersson;anna@uppsala.se;Uppsala;Förtroendevald;",          // 2 ok
            "Bo;Berg;inte-en-adress;Uppsala;;",                                // 3 invalid e-mail
            "Cia;Carlsson;;Uppsala;;",                                         // 4 missing e-mail
            "Dan;Dahl;ANNA@uppsala.se ;Uppsala;;",                             // 5 duplicate of row 2
            "Eva;Ek;eva@uppsala.se;Atlantis;;",                                // 6 unknown municipality
            "Fia;Falk;fia@stockholm.se;Stockholm;;",                           // 7 outside the county
            "Gun;Gran;gun@uppsala.se;Uppsala;Kung;",                           // 8 unknown role
            $"Hans;Holm;hans@uppsala.se;Uppsala;;{new string('x', 201)}",      // 9 too long
            "Ida;Isaksson;ida@uppsala.se;Uppsala",                             // 10 wrong column count
            "") ;
        var bytes = Encoding.UTF8.GetBytes(csv);
        var dry = await ImportOkAsync(Editor(), bytes, "fel.csv", dryRun: true);
        var errors = dry.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString(), Sv: e.GetProperty("swedish").GetString()!, En: e.GetProperty("english").GetString()!))
            .ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(dry.GetProperty("rows").GetInt32(), Is.EqualTo(9));
            Assert.That(dry.GetProperty("validRows").GetInt32(), Is.EqualTo(1));
            Assert.That(errors.Select(e => e.Row), Is.EqualTo(new[] { 3, 4, 5, 6, 7, 8, 9, 10 }));
            Assert.That(errors[0], Is.EqualTo((3, "E-post", "Ogiltig e-postadress.", "Invalid e-mail address.")));
            Assert.That(errors[1], Is.EqualTo((4, "E-post", "E-postadress saknas.", "E-mail address is missing.")));
            Assert.That(errors[2].Sv, Is.EqualTo("E-postadressen finns redan på rad 2 i filen."));
            Assert.That(errors[3], Is.EqualTo((6, "Kommun", "Okänd kommun: \"Atlantis\".", "Unknown municipality: \"Atlantis\".")));
            Assert.That(errors[4], Is.EqualTo((7, "Kommun", "Stockholm ligger inte i länet.", "Stockholm is not in the county.")));
            Assert.That(errors[5], Is.EqualTo((8, "Roll", "Okänd roll: \"Kung\".", "Unknown role category: \"Kung\".")));
            Assert.That(errors[6].Column, Is.EqualTo("Titel"));
            Assert.That(errors[6].En, Is.EqualTo("The title is too long (at most 200 characters)."));
            Assert.That(errors[7].Sv, Is.EqualTo("Raden har 4 kolumner men rubrikraden har 6."));
        });

        using var commit = await UploadAsync(Editor(), bytes, "fel.csv");
        var problem = await AssertProblemAsync(commit, 400, "import_rejected");
        Assert.That(problem.GetProperty("report").GetProperty("errorCount").GetInt32(), Is.EqualTo(8));
        Assert.That(await CountAsync(), Is.Zero);
        Assert.That((await GetJsonAsync(Editor(), "api/invitees/imports")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Unknown_headers_get_a_clear_problem_and_import_with_a_manual_mapping()
    {
        var csv = Encoding.UTF8.GetBytes("Fnamn;Enamn;Adress;Kommun\nAnna;Lind;anna@uppsala.se;Uppsala\n");
        using (var r = await UploadAsync(Editor(), csv, "x.csv"))
        {
            var p = await AssertProblemAsync(r, 400, "missing_columns");
            Assert.That(p.GetProperty("detail").GetString(), Does.Contain("e-post"));
        }
        var report = await ImportOkAsync(Editor(), csv, "x.csv", mapping: """{"Fnamn":"firstName","Enamn":"lastName","Adress":"email"}""");
        Assert.That(report.GetProperty("created").GetInt32(), Is.EqualTo(1));
        using (var r = await UploadAsync(Editor(), csv, "x.csv", mapping: """{"Fnamn":"skonummer"}"""))
            await AssertProblemAsync(r, 400, "invalid_mapping");
    }

    [TestCase("unbalanced_quotes", "Förnamn;Efternamn;E-post\r\nAnna;\"Lind;anna@uppsala.se\r\nBo;Berg;bo@uppsala.se\r\n")]
    [TestCase("empty_file", "")]
    [TestCase("no_rows", "Förnamn;Efternamn;E-post\r\n")]
    [TestCase("missing_columns", "just some text\nwithout any structure\n")]
    public async Task Broken_csv_files_get_a_400_problem_and_import_nothing(string code, string content)
    {
        using var r = await UploadAsync(Editor(), Encoding.UTF8.GetBytes(content), "broken.csv");
        await AssertProblemAsync(r, 400, code);
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Binary_garbage_and_a_broken_xlsx_get_a_400_problem()
    {
        var random = new Random(42);
        var garbage = new byte[50_000];
        random.NextBytes(garbage);
        using (var r = await UploadAsync(Editor(), garbage, "bild.csv")) await AssertProblemAsync(r, 400, "unreadable_file");

        var zip = new byte[] { 0x50, 0x4B, 0x03, 0x04 }.Concat(garbage).ToArray();
        using (var r = await UploadAsync(Editor(), zip, "trasig.xlsx")) await AssertProblemAsync(r, 400, "unreadable_file");
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task One_row_over_the_limit_is_refused_and_nothing_imported()
    {
        var sb = new StringBuilder("E-post;Förnamn;Efternamn\n");
        for (var i = 0; i <= 100_000; i++) sb.Append("p").Append(i).Append("@uppsala.se;A;B\n");
        using var r = await UploadAsync(Editor(), Encoding.UTF8.GetBytes(sb.ToString()), "stor.csv");
        var problem = await AssertProblemAsync(r, 400, "too_many_rows");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("100 000"));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_file_over_20_MB_gets_413()
    {
        var big = new byte[20 * 1024 * 1024 + 1];
        Array.Fill(big, (byte)'a');
        using var r = await UploadAsync(Editor(), big, "enorm.csv");
        await AssertProblemAsync(r, 413, "file_too_large");
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_raw_csv_body_imports_too()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("E-post,Förnamn,Efternamn\nanna@uppsala.se,Anna,Lind\n"));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var r = await Editor().PostAsync("api/invitees/imports?fileName=lista.csv&policy=skip", content);
        Assert.That((int)r.StatusCode, Is.EqualTo(200), await r.Content.ReadAsStringAsync());
        Assert.That(await CountAsync(), Is.EqualTo(1));
    }
}
