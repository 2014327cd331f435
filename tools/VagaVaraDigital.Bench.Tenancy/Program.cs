using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Bench;
using VagaVaraDigital.Api.Identity;

// Tenancy overhead benchmark (issue 3): the same tenant-scoped list query served over real HTTP (Kestrel on
// loopback), in the same process on the same data,
//   with    — the full tenancy pipeline: path resolution → PathBase, tenant access checks, a unit of work
//             with set_config('app.tenant_id') and row-level security, as the application role
//             (GET /t/uppsala/api/audit?limit=50);
//   without — a bare handler at the front of the pipeline running the same SELECT with an explicit
//             WHERE tenant_id = '03' as a role that bypasses RLS: no tenant, no RLS, no ASP.NET pipeline;
//   data    — the same handler position with the data side of tenancy: tenant lookup in the store and a read
//             unit (tenant scope + RLS) as the application role (VVD_BENCH_DIAGNOSE=1 prints it).
// "with"/"without" therefore also contains ASP.NET Core's own pipeline (routing, authentication,
// authorization, security headers, typed JSON); "data"/"without" is the cost of tenant isolation itself.
// Rounds alternate (A B A B …) so noise hits both; we report medians and the throughput ratio.
//
// Usage: VVD_BENCH_POSTGRES="Host=…;Username=postgres;Database=postgres" dotnet run -c Release -- [seconds] [rounds] [concurrency]

var super = Environment.GetEnvironmentVariable("VVD_BENCH_POSTGRES")
    ?? throw new InvalidOperationException("Set VVD_BENCH_POSTGRES to a superuser connection string (tools/bench-tenancy.sh does).");
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
var concurrency = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 8;

// --- database: fresh, migrated, 2,000 audit rows in each of two tenants ---------------------------
var dbName = $"vvd_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
var (options, superDb) = await BenchDatabase.CreateAsync(super, dbName);
await using (var conn = new NpgsqlConnection(superDb))
{
    await conn.ExecuteAsync("""
        UPDATE tenants SET is_active = true;
        INSERT INTO audit_log (tenant_id, actor_id, actor_name, action, target, details)
        SELECT t, 'bench', 'Bench', 'bench.row', 'row:' || g, jsonb_build_object('n', g)
        FROM unnest(ARRAY['03', '01']) t, generate_series(1, 2000) g;
        ANALYZE audit_log;
        """);
}

// --- the app, on Kestrel --------------------------------------------------------------------------
await using var bypass = NpgsqlDataSource.Create(superDb);
await using var factory = new BenchFactory(options, bypass);
factory.StartOnKestrel().Dispose();
var baseUri = factory.ClientOptions.BaseAddress;
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = baseUri };

const string With = "t/uppsala/api/audit?limit=50";
const string Without = "bench/audit-without-tenancy?limit=50";
var a = await http.GetStringAsync(With);
var b = await http.GetStringAsync(Without);
if (JsonDocument.Parse(a).RootElement.GetProperty("items").GetArrayLength() != 50 ||
    JsonDocument.Parse(b).RootElement.GetProperty("items").GetArrayLength() != 50)
{
    throw new InvalidOperationException("Both endpoints must return the same 50 rows.");
}

await RunAsync(With, 2); // warm-up
await RunAsync(Without, 2);
var withRates = new List<double>();
var withoutRates = new List<double>();
var dataRates = new List<double>();
for (var r = 0; r < rounds; r++)
{
    withoutRates.Add(await RunAsync(Without, seconds));
    if (Environment.GetEnvironmentVariable("VVD_BENCH_DIAGNOSE") is not null) dataRates.Add(await RunAsync("bench/audit-rls-only", seconds));
    withRates.Add(await RunAsync(With, seconds));
}

static double Median(IEnumerable<double> xs) { var s = xs.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }
var mWith = Median(withRates);
var mWithout = Median(withoutRates);
// Each round's two slices ran back to back, so their ratio is the least disturbed by other load.
var paired = withRates.Zip(withoutRates, (w, o) => w / o).ToList();
Console.WriteLine($"rounds={rounds} seconds={seconds} concurrency={concurrency} cores={Environment.ProcessorCount}");
Console.WriteLine($"without tenancy: median {mWithout:F0} req/s  (rounds: {string.Join(", ", withoutRates.Select(x => x.ToString("F0")))})");
Console.WriteLine($"with tenancy:    median {mWith:F0} req/s  (rounds: {string.Join(", ", withRates.Select(x => x.ToString("F0")))})");
Console.WriteLine($"ratio of medians with/without: {mWith / mWithout:F3}; median of paired round ratios: {Median(paired):F3}  (target ≥ 0.85)");
if (dataRates.Count > 0)
{
    Console.WriteLine($"data side (tenant lookup + read unit + RLS): median {Median(dataRates):F0} req/s; paired ratio data/without: {Median(dataRates.Zip(withoutRates, (d, o) => d / o)):F3}");
}

await using (var conn = new NpgsqlConnection(super))
{
    NpgsqlConnection.ClearAllPools();
    await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)");
}
return;

async Task<double> RunAsync(string url, double duration)
{
    var stop = Stopwatch.StartNew();
    var count = 0L;
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (stop.Elapsed.TotalSeconds < duration)
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            response.EnsureSuccessStatusCode();
            Interlocked.Increment(ref count);
        }
    });
    await Task.WhenAll(workers);
    return count / stop.Elapsed.TotalSeconds;
}

/// <summary>The real app, plus a bench identity (CountyAdmin of 03) and the baseline handlers behind its pipeline.</summary>
// Any type of the API assembly names its entry point (our own top-level Program hides the API's).
sealed class BenchFactory(DatabaseOptions options, NpgsqlDataSource bypass) : BenchHost(options, _ => new ClaimsPrincipal(new ClaimsIdentity(
    [new Claim(ClaimTypes.NameIdentifier, "bench"), new Claim(ClaimTypes.Role, Roles.CountyAdmin), new Claim(VvdClaims.Tenant, "03")], "Bench")))
{
    // Baselines at the front of the pipeline (the SPA's fallback endpoint answers every GET that no other endpoint
    // takes, so nothing can run after the application's pipeline).
    protected override async Task<bool> HandleBeforeAppAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/bench/audit-rls-only"))
        {
            // The data side of tenancy: tenant lookup in the store, a read unit with the tenant scope and RLS.
            var tenant = await context.RequestServices.GetRequiredService<VagaVaraDigital.Api.Tenancy.TenantStore>()
                .FindBySlugAsync("uppsala", context.RequestAborted);
            var db = context.RequestServices.GetRequiredService<Db>();
            await using var uow = await db.ReadForTenantAsync(tenant!.Id, context.RequestAborted);
            var rows = await uow.QueryAsync<dynamic>("""
                SELECT id, occurred_at AS OccurredAt, actor_id AS ActorId, actor_name AS ActorName, action, target,
                       details::text AS Details, correlation_id AS CorrelationId
                FROM audit_log ORDER BY id DESC LIMIT @take
                """, new { take = 51 });
            await context.Response.WriteAsJsonAsync(new { items = rows.Take(50) });
            return true;
        }
        if (context.Request.Path.StartsWithSegments("/bench/audit-without-tenancy"))
        {
            var take = int.Parse(context.Request.Query["limit"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            await using var conn = await bypass.OpenConnectionAsync(context.RequestAborted);
            var rows = await conn.QueryAsync("""
                SELECT id, occurred_at AS OccurredAt, actor_id AS ActorId, actor_name AS ActorName, action, target,
                       details::text AS Details, correlation_id AS CorrelationId
                FROM audit_log WHERE tenant_id = '03' ORDER BY id DESC LIMIT @take
                """, new { take = take + 1 });
            await context.Response.WriteAsJsonAsync(new { items = rows.Take(take) });
            return true;
        }
        return false;
    }
}
