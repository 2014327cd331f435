using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Bench;
using VagaVaraDigital.Api.Identity;

// Invitee import benchmark (issue 5): a generated N-row CSV (default 50,000) as Swedish Excel writes it
// (Windows-1252, ';', CRLF, Swedish headers, å/ä/ö) imported end to end — HTTP multipart upload to Kestrel on
// loopback, encoding and delimiter detection, parse, map, validate, binary COPY into the staging table, one
// MERGE, commit — against a fresh tenant list each round; beside the floor: a bare COPY of the same file
// (PostgreSQL's own CSV parser, FORMAT csv, into a table of text columns, no checks). Rounds alternate; medians.
// Peak memory is the process's high-water mark of resident memory (VmHWM), server and client together.
//
// Usage: VVD_BENCH_POSTGRES="Host=…;Username=postgres;Database=postgres" dotnet run -c Release -- [rows] [rounds]

Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
var super = Environment.GetEnvironmentVariable("VVD_BENCH_POSTGRES")
    ?? throw new InvalidOperationException("Set VVD_BENCH_POSTGRES to a superuser connection string (tools/bench-import.sh does).");
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;

// --- database ---------------------------------------------------------------------------------------
var dbName = $"vvd_bench_import_{DateTime.UtcNow:yyyyMMddHHmmss}";
var (options, superDb) = await BenchDatabase.CreateAsync(super, dbName);
await using (var conn = new NpgsqlConnection(superDb)) await conn.ExecuteAsync("UPDATE tenants SET is_active = true");

// --- the file -----------------------------------------------------------------------------------------
var file = Path.Combine(Path.GetTempPath(), $"vvd-bench-import-{rows}.csv");
Generate(file, rows);
var size = new FileInfo(file).Length;
Console.WriteLine($"file: {rows:N0} rows, {size / 1024.0 / 1024.0:F1} MiB, Windows-1252, ';'");

// --- the app on Kestrel -----------------------------------------------------------------------------
await using var factory = new BenchHost(options, _ => new ClaimsPrincipal(new ClaimsIdentity(
    [new Claim(ClaimTypes.NameIdentifier, "bench"), new Claim(ClaimTypes.Role, Roles.CountyEditor), new Claim(VvdClaims.Tenant, "03")], "Bench")));
using var http = factory.StartOnKestrel();

async Task Reset()
{
    await using var conn = new NpgsqlConnection(superDb);
    await conn.ExecuteAsync("DELETE FROM invitees; DELETE FROM invitee_import_batches;");
    await conn.ExecuteAsync("VACUUM ANALYZE invitees");
}

async Task<double> Import(bool expectCreated)
{
    await using var stream = File.OpenRead(file);
    using var form = new MultipartFormDataContent();
    var content = new StreamContent(stream, 81920);
    content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
    form.Add(new StringContent("false"), "dryRun");
    form.Add(content, "file", "kommunledare.csv");
    var sw = Stopwatch.StartNew();
    using var response = await http.PostAsync("t/uppsala/api/invitees/imports", form);
    var body = await response.Content.ReadAsStringAsync();
    sw.Stop();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
    var report = JsonDocument.Parse(body).RootElement;
    var created = report.GetProperty("created").GetInt32();
    var unchanged = report.GetProperty("unchanged").GetInt32();
    if (expectCreated ? created != rows : unchanged != rows) throw new InvalidOperationException($"Unexpected report: {body[..500]}");
    return sw.Elapsed.TotalSeconds;
}

async Task<double> BareCopy()
{
    await using var conn = new NpgsqlConnection(superDb);
    await conn.OpenAsync();
    await conn.ExecuteAsync("""
        CREATE TEMP TABLE bare (first_name text, last_name text, email text, kommun text, roll text, titel text, telefon text)
        """);
    var sw = Stopwatch.StartNew();
    // the file decoded from Windows-1252 and streamed as text to PostgreSQL's CSV parser
    await using (var writer = await conn.BeginTextImportAsync("COPY bare FROM STDIN (FORMAT csv, DELIMITER ';', HEADER)"))
    using (var reader = new StreamReader(file, Encoding.GetEncoding(1252)))
    {
        var buffer = new char[65536];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0) await writer.WriteAsync(buffer, 0, read);
    }
    sw.Stop();
    var n = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM bare");
    if (n != rows) throw new InvalidOperationException($"bare COPY loaded {n} rows");
    return sw.Elapsed.TotalSeconds;
}

static double RssMiB(string field) => long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":"))
    .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;

// the host is up and has served one request: the memory before any import
(await http.GetAsync("t/uppsala/api/invitees?limit=1")).EnsureSuccessStatusCode();
GC.Collect();
var hwmBeforeImport = RssMiB("VmHWM");

// warm-up (JIT, connection pool, plans) on the real file
await Reset();
await Import(true);
await BareCopy();

var importTimes = new List<double>();
var reimportTimes = new List<double>();
var copyTimes = new List<double>();
for (var r = 0; r < rounds; r++)
{
    copyTimes.Add(await BareCopy());
    await Reset();
    importTimes.Add(await Import(true));
    reimportTimes.Add(await Import(false));
    Console.WriteLine($"round {r + 1}: bare COPY {copyTimes[^1]:F2} s, import {importTimes[^1]:F2} s, re-import (all unchanged) {reimportTimes[^1]:F2} s");
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}
var peakMiB = RssMiB("VmHWM");
Console.WriteLine();
Console.WriteLine($"rows {rows:N0}, rounds {rounds}, cores {Environment.ProcessorCount}");
Console.WriteLine($"median bare COPY          {Median(copyTimes):F2} s");
Console.WriteLine($"median import (create)    {Median(importTimes):F2} s   ratio to bare COPY {Median(importTimes) / Median(copyTimes):F1}x");
Console.WriteLine($"median re-import (no-op)  {Median(reimportTimes):F2} s   ratio to bare COPY {Median(reimportTimes) / Median(copyTimes):F1}x");
Console.WriteLine($"peak resident memory (whole process: host, Kestrel, client, imports; VmHWM) {peakMiB:F0} MiB; " +
                  $"before the first import {hwmBeforeImport:F0} MiB; imports added {peakMiB - hwmBeforeImport:F0} MiB");

// --- the list on 100,000 invitees (after the last round the tenant holds `rows`; top up to 100,000) ---
if (rows < 100_000)
{
    await using var conn = new NpgsqlConnection(superDb);
    await conn.ExecuteAsync($"""
        SELECT set_config('app.tenant_id', '03', false);
        INSERT INTO invitees (tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code, role_category, title, tags)
        SELECT '03', (ARRAY['Åsa','Örjan','Lars','Karin'])[1 + g % 4], (ARRAY['Öberg','Åström','Lind','Berg','Ängström'])[1 + g % 5] || g % 1000,
               'extra' || g || '@uppsala.se', 'extra' || g || '@uppsala.se', md5(g::text), (ARRAY['0380','0381','0330','0360'])[1 + g % 4],
               (ARRAY['fortroendevald','kommunledning','forvaltningschef','ovrig'])[1 + g % 4], 'Titel ' || g % 50,
               CASE WHEN g % 10 = 0 THEN ARRAY['ks'] ELSE ARRAY[]::text[] END
        FROM generate_series(1, {100_000 - rows}) g;
        """);
    await conn.ExecuteAsync("VACUUM ANALYZE invitees");
}
string[] queries =
[
    "t/uppsala/api/invitees?limit=50",
    "t/uppsala/api/invitees?limit=50&q=%C3%B6berg",
    "t/uppsala/api/invitees?limit=50&municipality=0380&roleCategory=fortroendevald&tag=ks",
    "t/uppsala/api/invitees?limit=50&sort=email&dir=desc",
];
Console.WriteLine("list on 100,000 invitees (first page of 50 with total and counts per filter, then the next page), median of 7:");
foreach (var q in queries)
{
    var first = new List<double>();
    var next = new List<double>();
    for (var i = 0; i < 8; i++)
    {
        var sw = Stopwatch.StartNew();
        var page = JsonDocument.Parse(await http.GetStringAsync(q)).RootElement;
        first.Add(sw.Elapsed.TotalMilliseconds);
        var cursor = page.GetProperty("nextCursor").GetString();
        sw.Restart();
        await http.GetStringAsync(q + "&counts=false&cursor=" + cursor);
        next.Add(sw.Elapsed.TotalMilliseconds);
    }
    first.RemoveAt(0); next.RemoveAt(0); // warm-up
    Console.WriteLine($"  {q[16..],-70} first page {Median(first),6:F0} ms, next page {Median(next),5:F0} ms");
}

File.Delete(file);
await using (var conn = new NpgsqlConnection(super))
{
    NpgsqlConnection.ClearAllPools();
    await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)");
}

static void Generate(string path, int count)
{
    string[] first = ["Anna", "Åsa", "Örjan", "Märta", "Per-Åke", "Lars", "Karin", "Björn", "Eva", "Göran", "Ingrid", "Mikael", "Sofia", "Jörgen", "Maria", "Ulf", "Britt-Marie", "Håkan", "Lena", "Johan"];
    string[] last = ["Andersson", "Öberg", "Åström", "Ängström", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindqvist", "Bäckström", "Sjögren", "Håkansson", "Östlund"];
    string[] municipalities = ["Uppsala", "Enköping", "0360", "Östhammar", "knivsta", "0331", "Håbo", "Älvkarleby"];
    string[] roles = ["Förtroendevald", "Kommunledning/ledande tjänsteman", "Förvaltningschef (samhällsbyggnad)", "Övrig", ""];
    string[] titles = ["Kommunstyrelsens ordförande", "Kommundirektör", "Samhällsbyggnadschef", "Stadsbyggnadsdirektör", "Ledamot; byggnadsnämnden", "Plan- och bygglovschef"];
    var random = new Random(20261129);
    using var writer = new StreamWriter(path, false, Encoding.GetEncoding(1252)) { NewLine = "\r\n" };
    writer.WriteLine("Förnamn;Efternamn;E-post;Kommun;Roll;Titel;Telefon");
    for (var i = 0; i < count; i++)
    {
        var f = first[random.Next(first.Length)];
        var l = last[random.Next(last.Length)];
        var title = titles[random.Next(titles.Length)];
        writer.WriteLine(string.Join(';',
            f, l, $"{Ascii(f)}.{Ascii(l)}.{i}@{Ascii(municipalities[i % municipalities.Length])}.se",
            municipalities[i % municipalities.Length], roles[random.Next(roles.Length)],
            title.Contains(';') ? $"\"{title}\"" : title, $"0{random.Next(10, 99)}-{random.Next(100000, 999999)}"));
    }
}

static string Ascii(string s) => s.ToLowerInvariant().Replace('å', 'a').Replace('ä', 'a').Replace('ö', 'o').Replace(' ', '-');
