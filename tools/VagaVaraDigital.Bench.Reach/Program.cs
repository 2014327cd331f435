using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Reach;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Bench;
using VagaVaraDigital.Cli;

// Reach benchmark (issue 8) on the `vvd seed-bench` data set (seed 42): the national report and one county's report,
//   SQL   — the endpoint's own SQL run directly as the application role: the whole batch it sends
//           (ReachReports.NationalBatchSql / CountyBatchSql after CALL read_as_tenant(…), one round trip, every row read);
//   floor — the same batch run by a bare endpoint over the same HTTP (Kestrel on loopback, before any of the
//           application's middleware; answers the row count): the least that HTTP around this SQL costs on this machine;
//   floor+app — the same bare batch behind the application's whole middleware pipeline (tenancy, rate limits,
//           authentication, authorization): floor+app minus floor is what our pipeline costs a request that waits on
//           the database;
//   in-process — the report computed by ReachReports without HTTP (SQL, Dapper's mapping, shaping);
//   server — time inside Kestrel, from the first middleware until the response is written;
//   HTTP  — GET of the report over the same HTTP through the whole pipeline, with caching off
//           (Reach:CacheDuration = 0: every request computes the report from the data), and
//   HTTP cached — the default cache (what users get: recomputed in the background after 30 s, never older than
//           a minute), 200 requests after one computation.
// One request at a time; rounds alternate the variants so noise hits all. Reports median and p95 (ms), the ratio
// HTTP/SQL of the medians and of the p95s, and the floor's ratio to the SQL.
//
// Usage: VVD_BENCH_POSTGRES="Host=…;Username=postgres;Database=postgres" dotnet run -c Release -- [iterations] [rounds]
//        (tools/bench-reach.sh starts a throwaway cluster). VVD_BENCH_DB=name reuses a seeded database;
//        VVD_BENCH_RESET=1 reloads the data set (vvd seed-bench --reset). Prints the load average at start, after seeding
//        and at the end (the machine is shared).
//        VVD_BENCH_LOOP=0|1|2 (national, Uppsala, Västra Götaland) VVD_BENCH_KIND=sql|floor|floor-app|compute|http|cached|
//        serialize [VVD_BENCH_SECONDS=20] runs one variant in a loop instead, for a profiler (dotnet-trace -p <pid>).

var super = Environment.GetEnvironmentVariable("VVD_BENCH_POSTGRES")
    ?? throw new InvalidOperationException("Set VVD_BENCH_POSTGRES to a superuser connection string (tools/bench-reach.sh does).");
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

var started = Stopwatch.StartNew();
Console.WriteLine($"started {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {BenchDatabase.LoadAverage()}, {Environment.ProcessorCount} cores");
var dbName = Environment.GetEnvironmentVariable("VVD_BENCH_DB") ?? "vvd_bench_reach";
var (options, superDb) = await BenchDatabase.CreateAsync(super, dbName);
await using var app = NpgsqlDataSource.Create(options.ConnectionString);
var seeding = Stopwatch.StartNew();
await SeedBench.RunAsync(app, options.MigrationsConnectionString!, new BenchPlan(), Console.WriteLine, CancellationToken.None,
    reset: Environment.GetEnvironmentVariable("VVD_BENCH_RESET") == "1");
Console.WriteLine($"seed-bench: {seeding.Elapsed.TotalSeconds:F0} s (load average {BenchDatabase.LoadAverage()})");

await using (var conn = new NpgsqlConnection(superDb))
{
    var counts = await conn.QuerySingleAsync<(long, long, long, long, long)>("""
        SELECT (SELECT count(*) FROM invitees), (SELECT count(*) FROM webcasts), (SELECT count(*) FROM invitations),
               (SELECT count(*) FROM attendance), (SELECT count(DISTINCT municipality_code) FROM invitees)
        """);
    Console.WriteLine($"data set: invitees={counts.Item1} webcasts={counts.Item2} invitations={counts.Item3} attendance={counts.Item4} municipalities={counts.Item5}");
}

await using var uncached = new BenchFactory(options, cacheSeconds: 0);
await using var cached = new BenchFactory(options, cacheSeconds: 30);
using var http = uncached.StartOnKestrel();
using var httpCached = cached.StartOnKestrel();

var now = DateTimeOffset.UtcNow;
string[] counties = ["03", "14"];   // Uppsala (8 municipalities, median size), Västra Götaland (49, the largest)
var slugs = new Dictionary<string, string> { ["03"] = "uppsala", ["14"] = "vastra-gotaland" };

// The baseline is the report's own SQL as the application sends it: the whole batch the endpoint sends (the figures
// and the three small queries beside them) after the tenant scope, one round trip, every row of every result read.
Task<int> Batch(string tenant, string sql, object param) => BenchFactory.Batch(app, tenant, sql, param);

async Task SqlNational()
{
    if (await Batch("", ReachReports.NationalBatchSql, new { now }) < 300) throw new InvalidOperationException("national figures missing");
}

async Task SqlCounty(string tenant)
{
    if (await Batch(tenant, ReachReports.CountyBatchSql, new { now, municipality = (string?)null }) < 10)
        throw new InvalidOperationException("county figures missing");
}

// The same report computed in-process (SQL, Dapper's mapping, shaping; no HTTP, no JSON): splits HTTP's extra cost.
async Task ComputeNational()
{
    await using var scope = uncached.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<ReachReports>().NationalAsync(CancellationToken.None);
}

async Task ComputeCounty(string tenant)
{
    await using var scope = uncached.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<ReachReports>().CountyAsync(tenant, tenant, null, CancellationToken.None);
}

var LastSize = 0;
async Task Get(HttpClient client, string url, string role, string? tenant)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, url);
    request.Headers.Add("X-Bench", $"{role};{tenant}");
    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    response.EnsureSuccessStatusCode();
    LastSize = (await response.Content.ReadAsByteArrayAsync()).Length;
}

var cases = new List<(string Name, Func<Task> Sql, Func<Task> Floor, Func<Task> FloorApp, Func<Task> Compute, Func<Task> Http, Func<Task> Cached)>
{
    ("national", SqlNational, () => Get(http, "bench/floor", "x", null), () => Get(http, "bench/floor-app", Roles.NationalViewer, null),
        ComputeNational, () => Get(http, "api/national/reach", Roles.NationalViewer, null),
        () => Get(httpCached, "api/national/reach", Roles.NationalViewer, null)),
};
foreach (var c in counties)
{
    cases.Add(($"county {c} ({slugs[c]})", () => SqlCounty(c), () => Get(http, $"bench/floor?tenant={c}", "x", null),
        () => Get(http, $"bench/floor-app?tenant={c}", Roles.NationalViewer, null), () => ComputeCounty(c),
        () => Get(http, $"t/{slugs[c]}/api/reach", Roles.CountyAdmin, c),
        () => Get(httpCached, $"t/{slugs[c]}/api/reach", Roles.CountyAdmin, c)));
}

// Profiling mode: one variant of one case in a loop (attach dotnet-trace to the printed pid), with its mean time,
// garbage collections and allocations per call. "serialize" times the JSON serialization of the national report alone.
if (Environment.GetEnvironmentVariable("VVD_BENCH_LOOP") is { } loop)
{
    var c = cases[int.Parse(loop, CultureInfo.InvariantCulture)];
    var kind = Environment.GetEnvironmentVariable("VVD_BENCH_KIND") ?? "http";
    var seconds = double.Parse(Environment.GetEnvironmentVariable("VVD_BENCH_SECONDS") ?? "20", CultureInfo.InvariantCulture);
    var json = uncached.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
    await using var scope = uncached.Services.CreateAsyncScope();
    var report = await scope.ServiceProvider.GetRequiredService<ReachReports>().NationalAsync(CancellationToken.None);
    Func<Task> call = kind switch
    {
        "sql" => c.Sql, "floor" => c.Floor, "floor-app" => c.FloorApp, "compute" => c.Compute, "http" => c.Http, "cached" => c.Cached,
        "serialize" => () => { JsonSerializer.SerializeToUtf8Bytes(report, json); return Task.CompletedTask; },
        _ => throw new ArgumentException($"VVD_BENCH_KIND: sql, floor, floor-app, compute, http, cached or serialize, not {kind}"),
    };
    Console.WriteLine($"looping {kind} of {c.Name} for {seconds} s, pid {Environment.ProcessId}");
    var (gen0, gen2, pause, allocated) = (GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
    var (calls, clock) = (0, Stopwatch.StartNew());
    while (clock.Elapsed.TotalSeconds < seconds) { await call(); calls++; }
    Console.WriteLine(FormattableString.Invariant(
        $"{calls} calls, mean {clock.Elapsed.TotalMilliseconds / calls:F3} ms; GCs gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}, pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds / calls:F3} ms and {(GC.GetTotalAllocatedBytes() - allocated) / calls / 1024.0:F0} kB allocated per call"));
    return;
}

Console.WriteLine($"iterations={iterations} per round, rounds={rounds}, one request at a time, {Environment.ProcessorCount} cores");
Console.WriteLine("Medians (p95) in ms. SQL: the endpoint's batch sent directly. Floor: the same batch behind a bare endpoint (no middleware,");
Console.WriteLine("no mapping, no JSON); floor+app: behind the application's middleware. In-process: the report computed by ReachReports");
Console.WriteLine("without HTTP. Server: first middleware to response written (Kestrel). HTTP: the client's whole request. Cached: the default cache.");
Console.WriteLine("| report | bytes | SQL | floor | floor+app | in-process | server | HTTP | ratio HTTP/SQL median | ratio p95 | floor/SQL | HTTP cached (200) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var (name, sql, floor, floorApp, compute, direct, cachedCall) in cases)
{
    for (var i = 0; i < 3; i++) { await sql(); await floor(); await floorApp(); await compute(); await direct(); }   // warm-up
    var floorTimes = new List<double>();
    var floorAppTimes = new List<double>();
    var sqlTimes = new List<double>();
    var computeTimes = new List<double>();
    var httpTimes = new List<double>();
    var serverTimes = new List<double>();
    for (var r = 0; r < rounds; r++)
    {
        sqlTimes.AddRange(await Time(sql, iterations));
        floorTimes.AddRange(await Time(floor, iterations));
        floorAppTimes.AddRange(await Time(floorApp, iterations));
        computeTimes.AddRange(await Time(compute, iterations));
        lock (BenchFactory.ServerTimes) BenchFactory.ServerTimes.Clear();
        httpTimes.AddRange(await Time(direct, iterations));
        lock (BenchFactory.ServerTimes) serverTimes.AddRange(BenchFactory.ServerTimes);
    }
    // Served with the cache: one computation, then every request within its freshness window.
    await cachedCall();
    var cachedTimes = await Time(cachedCall, 200);
    string Cell(List<double> xs) => FormattableString.Invariant($"{Percentile(xs, 50):F1} ({Percentile(xs, 95):F1})");
    Console.WriteLine(FormattableString.Invariant(
        $"| {name} | {LastSize:N0} | {Cell(sqlTimes)} | {Cell(floorTimes)} | {Cell(floorAppTimes)} | {Cell(computeTimes)} | {Cell(serverTimes)} | {Cell(httpTimes)} | **{Percentile(httpTimes, 50) / Percentile(sqlTimes, 50):F2}** | {Percentile(httpTimes, 95) / Percentile(sqlTimes, 95):F2} | {Percentile(floorTimes, 50) / Percentile(sqlTimes, 50):F2} | {Percentile(cachedTimes, 50):F2} ({Percentile(cachedTimes, 95):F2}) |"));
}
// What the summary costs a write: one invitation's answer (an RSVP) and one attendance mark in Västra Götaland,
// each committed in its own transaction — the commit includes the flush that recomputes the invitee's and the
// webcast's summary rows (ADR 0051). Each write is undone in the next round (not timed).
{
    var pick = await app.OpenConnectionAsync();
    await using var pickTx = await pick.BeginTransactionAsync();
    await pick.ExecuteAsync("SELECT set_config('app.tenant_id', '14', true)", transaction: pickTx);
    var targets = (await pick.QueryAsync<Guid>("""
        SELECT v.id FROM invitations v WHERE v.tenant_id = '14' AND v.status = 'sent'
          AND NOT EXISTS (SELECT FROM attendance a WHERE a.invitation_id = v.id) ORDER BY v.id LIMIT 40
        """, transaction: pickTx)).ToArray();
    await pickTx.CommitAsync();
    await pick.DisposeAsync();

    async Task Write(string sql, Guid id)
    {
        await using var conn = await app.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', '14', true)", transaction: tx);
        await conn.ExecuteAsync(sql, new { id }, tx);
        await tx.CommitAsync();
    }
    var rsvp = new List<double>();
    var mark = new List<double>();
    foreach (var id in targets)
    {
        var sw = Stopwatch.StartNew();
        await Write("UPDATE invitations SET status = 'accepted', responded_at = now() WHERE id = @id", id);
        rsvp.Add(sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        await Write("INSERT INTO attendance (tenant_id, invitation_id, source, minutes) VALUES ('14', @id, 'manual', 45)", id);
        mark.Add(sw.Elapsed.TotalMilliseconds);
        await Write("DELETE FROM attendance WHERE invitation_id = @id AND source = 'manual'", id);
        await Write("UPDATE invitations SET status = 'sent', responded_at = NULL WHERE id = @id", id);
    }
    Console.WriteLine(FormattableString.Invariant(
        $"writes in county 14 incl. the summary's flush ({targets.Length} each): RSVP median {Percentile(rsvp, 50):F1} ms, p95 {Percentile(rsvp, 95):F1} ms; attendance mark median {Percentile(mark, 50):F1} ms, p95 {Percentile(mark, 95):F1} ms"));
}
Console.WriteLine($"finished {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC after {started.Elapsed.TotalMinutes:F1} min, load average {BenchDatabase.LoadAverage()}");
return;

static async Task<List<double>> Time(Func<Task> call, int n)
{
    var times = new List<double>(n);
    for (var i = 0; i < n; i++)
    {
        var sw = Stopwatch.StartNew();
        await call();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    return times;
}

static double Percentile(List<double> xs, double p)
{
    var s = xs.Order().ToArray();
    var rank = p / 100 * (s.Length - 1);
    var lo = (int)Math.Floor(rank);
    var hi = (int)Math.Ceiling(rank);
    return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

/// <summary>The real app with a bench identity from the X-Bench header ("role;tenant") and the time each request spends inside it.</summary>
sealed class BenchFactory(DatabaseOptions options, int cacheSeconds) : BenchHost(options, Identity)
{
    public static readonly List<double> ServerTimes = [];

    static ClaimsPrincipal Identity(HttpContext ctx)
    {
        var bench = ctx.Request.Headers["X-Bench"].ToString().Split(';');
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "bench"), new(ClaimTypes.Role, bench[0]) };
        if (bench.Length > 1 && bench[1].Length > 0) claims.Add(new Claim(VvdClaims.Tenant, bench[1]));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Bench"));
    }

    protected override void Configure(IWebHostBuilder builder) =>
        builder.UseSetting("Reach:CacheDuration", TimeSpan.FromSeconds(cacheSeconds).ToString());

    /// <summary>The report's batch as the benchmark's baseline runs it: after the tenant scope, one round trip, every row read.</summary>
    public static async Task<int> Batch(NpgsqlDataSource source, string tenant, string sql, object param)
    {
        await using var conn = await source.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"CALL read_as_tenant('{tenant}');\n" + sql, conn) { CommandTimeout = 600 };
        foreach (var p in param.GetType().GetProperties()) cmd.Parameters.AddWithValue(p.Name, p.GetValue(param) ?? DBNull.Value);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = 0;
        var values = new object[32];
        do
        {
            while (await reader.ReadAsync()) { reader.GetValues(values); rows++; }
        } while (await reader.NextResultAsync());
        return rows;
    }

    /// <summary>The floor: the national batch, or a county's (?tenant=), answered with its row count.</summary>
    static Task<int> FloorBatch(NpgsqlDataSource source, string? tenant)
    {
        var now = DateTimeOffset.UtcNow;
        return string.IsNullOrEmpty(tenant) ? Batch(source, "", ReachReports.NationalBatchSql, new { now })
            : Batch(source, tenant, ReachReports.CountyBatchSql, new { now, municipality = (string?)null });
    }

    // floor+app: behind the application's whole middleware pipeline and the national report's policy.
    protected override void MapBenchEndpoints(IEndpointRouteBuilder routes) =>
        routes.MapGet("/bench/floor-app", async (NpgsqlDataSource source, string? tenant) => TypedResults.Ok(await FloorBatch(source, tenant)))
            .RequireAuthorization(ReachApi.NationalReadPolicy);

    protected override async Task<bool> HandleBeforeAppAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/bench/floor"))   // the floor: before any of the application
        {
            var rows = await FloorBatch(context.RequestServices.GetRequiredService<NpgsqlDataSource>(), context.Request.Query["tenant"]);
            await context.Response.WriteAsync(rows.ToString(CultureInfo.InvariantCulture));
            return true;
        }
        var started = Stopwatch.GetTimestamp();
        context.Response.OnCompleted(() =>
        {
            lock (ServerTimes) ServerTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return Task.CompletedTask;
        });
        return false;
    }
}
