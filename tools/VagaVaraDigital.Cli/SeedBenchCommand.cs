using System.CommandLine;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Cli;

/// <summary>
/// <c>vvd seed-bench</c>: the synthetic national data set of the reach benchmark — 21 tenants, all 290
/// municipalities, 60,000 invitees, 1,000 webcasts, 1,000,000 attendance rows (and about 1.5 million invitations),
/// deterministic from <c>--seed</c>: the same seed gives the same rows, ids included. No real person: names are
/// "Bench N", e-mail addresses end in <c>.invalid</c>.
/// Loads with COPY (binary) into temporary tables, then moves each tenant's rows in that tenant's row-level-security
/// scope (COPY FROM is not allowed into tables with row-level security). Re-runnable: a second run says the data set
/// is there (and with which plan) and changes nothing; <c>--reset</c> first deletes a previous bench data set, tenant by
/// tenant in one transaction, and refuses when the database holds anything but bench data.
/// </summary>
public static class SeedBenchCommand
{
    public const string SeedName = "bench";

    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Slumpfrö (samma frö ger samma data)", DefaultValueFactory = _ => 42 };
        var invitees = new Option<int>("--invitees") { Description = "Antal inbjudningsbara personer", DefaultValueFactory = _ => 60_000 };
        var webcasts = new Option<int>("--webcasts") { Description = "Antal sändningar", DefaultValueFactory = _ => 1_000 };
        var attendance = new Option<int>("--attendance") { Description = "Antal närvarorader", DefaultValueFactory = _ => 1_000_000 };
        var reset = new Option<bool>("--reset") { Description = "Ta bort ett tidigare benchmarkdataset och lägg in det på nytt" };
        var command = new Command("seed-bench", "Lägg in det syntetiska nationella datasetet för prestandamätning") { seed, invitees, webcasts, attendance, reset };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build();
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            var options = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var plan = new BenchPlan(parse.GetValue(seed), parse.GetValue(invitees), parse.GetValue(webcasts), parse.GetValue(attendance));
            var result = await SeedBench.RunAsync(dataSource, options.EffectiveMigrationsConnectionString, plan, Console.WriteLine, ct,
                reset: parse.GetValue(reset));
            return result ? 0 : 1;
        });
        return command;
    }
}

public sealed record BenchPlan(int Seed = 42, int Invitees = 60_000, int Webcasts = 1_000, int Attendance = 1_000_000);

public static class SeedBench
{
    static readonly string[] Roles = ["fortroendevald", "kommunledning", "forvaltningschef", "lansstyrelsens_ledning", "ovrig"];
    static readonly int[] RoleWeights = [40, 20, 30, 3, 7];
    static readonly string[] Sources = ["teams", "tracked_link", "zoom", "manual"];
    static readonly DateTime CampaignStart = new(2026, 6, 1, 7, 0, 0, DateTimeKind.Utc);   // a Monday, 09:00 Stockholm; 26 weeks

    // Explicit columns: the tables may have gained generated or defaulted columns since.
    const string InviteeColumns = "id, tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code, role_category, status, created_at, updated_at, opted_out_at, erased_at";
    const string WebcastColumns = "id, tenant_id, title, starts_at, duration_minutes, status, created_at, updated_at";
    const string InvitationColumns = "id, tenant_id, webcast_id, invitee_id, token, status, sent_at, responded_at, created_at, updated_at";
    const string AttendanceColumns = "id, tenant_id, invitation_id, source, minutes, joined_at, recorded_at";

    sealed record Invitee(Guid Id, string Tenant, string? Municipality, int Person);

    public static async Task<bool> RunAsync(NpgsqlDataSource dataSource, string ownerConnectionString, BenchPlan plan,
        Action<string> log, CancellationToken ct, bool reset = false)
    {
        var clock = Stopwatch.StartNew();
        var rng = new Random(plan.Seed);
        await using var conn = await dataSource.OpenConnectionAsync(ct);

        var existing = await conn.QuerySingleOrDefaultAsync<string>(
            "SELECT details::text FROM seed_runs WHERE name = @SeedName", new { SeedName = SeedBenchCommand.SeedName });
        if (existing is not null && !reset)
        {
            log($"Benchmarkdata finns redan i databasen ({existing}); inget ändrat. Lägg in på nytt med --reset.");
            return true;
        }
        if (reset && !await ResetAsync(conn, log, ct)) return false;

        var municipalities = (await conn.QueryAsync<(string Code, string County)>(
            "SELECT code, county_code FROM municipalities ORDER BY code")).ToArray();
        var tenants = municipalities.Select(m => m.County).Distinct().Order(StringComparer.Ordinal).ToArray();

        // Invitees: one per municipality first (all 290 are covered), then random municipalities; 5 % county board
        // staff; 2 % are a person another county also invited (same person key); 2 % erased, 3 % opted out.
        var invitees = new List<Invitee>(plan.Invitees);
        var personOf = new Dictionary<(string, int), bool>();
        for (var i = 0; i < plan.Invitees; i++)
        {
            var m = i < municipalities.Length ? municipalities[i] : municipalities[rng.Next(municipalities.Length)];
            var countyBoard = i >= municipalities.Length && rng.NextDouble() < 0.05;
            var person = i;
            if (i >= municipalities.Length && rng.NextDouble() < 0.02)
            {
                var other = invitees[rng.Next(invitees.Count)];
                if (other.Tenant != m.County && personOf.TryAdd((m.County, other.Person), true)) person = other.Person;
            }
            personOf.TryAdd((m.County, person), true);
            invitees.Add(new Invitee(NextGuid(rng), m.County, countyBoard ? null : m.Code, person));
        }
        var byTenant = invitees.GroupBy(x => x.Tenant).ToDictionary(g => g.Key, g => g.ToArray());

        // Webcasts: proportional to the tenant's invitees (largest remainder, at least one each), over 26 weeks.
        var webcastsPerTenant = Apportion(tenants.Select(t => (double)byTenant[t].Length).ToArray(), plan.Webcasts, minimum: 1);
        var webcasts = new List<(Guid Id, string Tenant, DateTime StartsAt, int Duration)>();
        for (var t = 0; t < tenants.Length; t++)
        {
            for (var k = 0; k < webcastsPerTenant[t]; k++)
            {
                var start = CampaignStart.AddDays(rng.Next(0, 26 * 7)).AddHours(rng.Next(0, 8));
                webcasts.Add((NextGuid(rng), tenants[t], start, 60 + 30 * rng.Next(0, 3)));
            }
        }

        // Attendance per webcast in proportion to its tenant's invitees, summing to exactly plan.Attendance;
        // invitations ≈ attendance / 0.65, at most all of the tenant's invitees.
        var perWebcast = Apportion(webcasts.Select(w => (double)byTenant[w.Tenant].Length).ToArray(), plan.Attendance, minimum: 0);
        for (var i = 0; i < webcasts.Count; i++)
        {
            var max = byTenant[webcasts[i].Tenant].Length;
            if (perWebcast[i] > max) throw new InvalidOperationException("Too much attendance for the tenant's invitees; raise --invitees.");
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync("""
            CREATE TEMP TABLE bench_invitees (LIKE invitees INCLUDING DEFAULTS) ON COMMIT DROP;
            CREATE TEMP TABLE bench_webcasts (LIKE webcasts INCLUDING DEFAULTS) ON COMMIT DROP;
            CREATE TEMP TABLE bench_invitations (LIKE invitations INCLUDING DEFAULTS) ON COMMIT DROP;
            CREATE TEMP TABLE bench_attendance (LIKE attendance INCLUDING DEFAULTS) ON COMMIT DROP;
            """, transaction: tx);

        log($"  {invitees.Count:N0} inbjudningsbara …");
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY bench_invitees (id, tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code,
                                 role_category, status, created_at, updated_at, opted_out_at, erased_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var x in invitees)
            {
                var roll = rng.NextDouble();
                var status = roll < 0.02 ? "erased" : roll < 0.05 ? "opted_out" : "active";
                var role = x.Municipality is null ? (rng.NextDouble() < 0.6 ? "lansstyrelsens_ledning" : "ovrig") : Weighted(rng, Roles, RoleWeights);
                var email = $"bench{x.Person}@bench.invalid";
                await w.StartRowAsync(ct);
                await w.WriteAsync(x.Id, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(x.Tenant, NpgsqlDbType.Text, ct);
                await WriteNullable(w, status == "erased" ? null : "Bench", ct);
                await WriteNullable(w, status == "erased" ? null : $"Person {x.Person}", ct);
                await WriteNullable(w, status == "erased" ? null : email, ct);
                await WriteNullable(w, status == "erased" ? null : email, ct);
                await w.WriteAsync($"bench-{x.Person:D6}", NpgsqlDbType.Text, ct);
                await WriteNullable(w, x.Municipality, ct);
                await w.WriteAsync(role, NpgsqlDbType.Text, ct);
                await w.WriteAsync(status, NpgsqlDbType.Text, ct);
                await w.WriteAsync(CampaignStart.AddDays(-30), NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(CampaignStart.AddDays(-30), NpgsqlDbType.TimestampTz, ct);
                if (status == "opted_out") await w.WriteAsync(CampaignStart.AddDays(60), NpgsqlDbType.TimestampTz, ct); else await w.WriteNullAsync(ct);
                if (status == "erased") await w.WriteAsync(CampaignStart.AddDays(90), NpgsqlDbType.TimestampTz, ct); else await w.WriteNullAsync(ct);
            }
            await w.CompleteAsync(ct);
        }

        log($"  {webcasts.Count:N0} sändningar …");
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY bench_webcasts (id, tenant_id, title, starts_at, duration_minutes, status, created_at, updated_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            var n = 0;
            foreach (var x in webcasts)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(x.Id, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(x.Tenant, NpgsqlDbType.Text, ct);
                await w.WriteAsync($"Webbsändning {++n}", NpgsqlDbType.Text, ct);
                await w.WriteAsync(x.StartsAt, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(x.Duration, NpgsqlDbType.Integer, ct);
                await w.WriteAsync("completed", NpgsqlDbType.Text, ct);
                await w.WriteAsync(x.StartsAt.AddDays(-30), NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(x.StartsAt.AddDays(-30), NpgsqlDbType.TimestampTz, ct);
            }
            await w.CompleteAsync(ct);
        }

        log($"  inbjudningar och {plan.Attendance:N0} närvarorader …");
        long invitationCount = 0;
        var token = new byte[16];
        var attendanceRows = new List<(Guid Invitation, string Tenant, string Source, int? Minutes, DateTime JoinedAt)>(plan.Attendance);
        await using (var inv = await conn.BeginBinaryImportAsync("""
            COPY bench_invitations (id, tenant_id, webcast_id, invitee_id, token, status, sent_at, responded_at, created_at, updated_at)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = 0; i < webcasts.Count; i++)
            {
                var wc = webcasts[i];
                var pool = byTenant[wc.Tenant];
                var attended = perWebcast[i];
                var invited = Math.Min(pool.Length, (int)Math.Round(attended / 0.65));
                foreach (var (x, k) in Sample(rng, pool, invited).Select((x, k) => (x, k)))
                {
                    var id = NextGuid(rng);
                    var didAttend = k < attended;
                    string status;
                    if (didAttend) status = "attended";
                    else
                    {
                        var r = rng.NextDouble();
                        status = r < 0.35 ? "declined" : r < 0.55 ? "absent" : r < 0.6 ? "waitlisted" : r < 0.95 ? "sent" : "created";
                    }
                    rng.NextBytes(token);
                    var sent = wc.StartsAt.AddDays(-21);
                    await inv.StartRowAsync(ct);
                    await inv.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                    await inv.WriteAsync(wc.Tenant, NpgsqlDbType.Text, ct);
                    await inv.WriteAsync(wc.Id, NpgsqlDbType.Uuid, ct);
                    await inv.WriteAsync(x.Id, NpgsqlDbType.Uuid, ct);
                    await inv.WriteAsync(Convert.ToBase64String(token).TrimEnd('=').Replace('+', '-').Replace('/', '_'), NpgsqlDbType.Text, ct);
                    await inv.WriteAsync(status, NpgsqlDbType.Text, ct);
                    if (status == "created") await inv.WriteNullAsync(ct); else await inv.WriteAsync(sent, NpgsqlDbType.TimestampTz, ct);
                    if (status is "created" or "sent") await inv.WriteNullAsync(ct); else await inv.WriteAsync(sent.AddDays(3), NpgsqlDbType.TimestampTz, ct);
                    await inv.WriteAsync(sent.AddDays(-1), NpgsqlDbType.TimestampTz, ct);
                    await inv.WriteAsync(sent, NpgsqlDbType.TimestampTz, ct);
                    invitationCount++;
                    if (didAttend)
                    {
                        var source = Weighted(rng, Sources, [45, 30, 10, 15]);
                        // 15 % stay shorter than a 10-minute threshold; half of the tracked joins have no minutes.
                        int? minutes = source == "tracked_link" && rng.NextDouble() < 0.5 ? null
                            : rng.NextDouble() < 0.15 ? rng.Next(0, 10) : rng.Next(10, wc.Duration + 1);
                        attendanceRows.Add((id, wc.Tenant, source, minutes, wc.StartsAt.AddMinutes(rng.Next(0, 5))));
                    }
                }
            }
            await inv.CompleteAsync(ct);
        }
        await using (var att = await conn.BeginBinaryImportAsync("""
                COPY bench_attendance (id, tenant_id, invitation_id, source, minutes, joined_at, recorded_at) FROM STDIN (FORMAT BINARY)
                """, ct))
        {
            foreach (var a in attendanceRows)
            {
                await att.StartRowAsync(ct);
                await att.WriteAsync(NextGuid(rng), NpgsqlDbType.Uuid, ct);
                await att.WriteAsync(a.Tenant, NpgsqlDbType.Text, ct);
                await att.WriteAsync(a.Invitation, NpgsqlDbType.Uuid, ct);
                await att.WriteAsync(a.Source, NpgsqlDbType.Text, ct);
                if (a.Minutes is { } mins) await att.WriteAsync(mins, NpgsqlDbType.Integer, ct); else await att.WriteNullAsync(ct);
                await att.WriteAsync(a.JoinedAt, NpgsqlDbType.TimestampTz, ct);
                await att.WriteAsync(a.JoinedAt.AddHours(2), NpgsqlDbType.TimestampTz, ct);
            }
            await att.CompleteAsync(ct);
        }

        log("  flyttar in per län (radnivåsäkerhet) …");
        await conn.ExecuteAsync("UPDATE tenants SET is_active = true, updated_at = now() WHERE NOT is_active", transaction: tx);
        foreach (var tenant in tenants)
        {
            await conn.ExecuteAsync($"""
                SELECT set_config('app.tenant_id', @tenant, true);
                INSERT INTO invitees ({InviteeColumns}) SELECT {InviteeColumns} FROM bench_invitees WHERE tenant_id = @tenant;
                INSERT INTO webcasts ({WebcastColumns}) SELECT {WebcastColumns} FROM bench_webcasts WHERE tenant_id = @tenant;
                INSERT INTO invitations ({InvitationColumns}) SELECT {InvitationColumns} FROM bench_invitations WHERE tenant_id = @tenant;
                INSERT INTO attendance ({AttendanceColumns}) SELECT {AttendanceColumns} FROM bench_attendance WHERE tenant_id = @tenant;
                """, new { tenant }, tx, commandTimeout: 600);
        }
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', '', true)", transaction: tx);
        await conn.ExecuteAsync("""
            INSERT INTO seed_runs (name, details) VALUES (@SeedName, @details::jsonb)
            ON CONFLICT (name) DO UPDATE SET ran_at = now(), details = EXCLUDED.details
            """, new
        {
            SeedName = SeedBenchCommand.SeedName,
            details = System.Text.Json.JsonSerializer.Serialize(new
            {
                plan.Seed, invitees = invitees.Count, webcasts = webcasts.Count, invitations = invitationCount, attendance = plan.Attendance,
            }),
        }, tx);
        await FlushReachSummaryAsync(conn, tx, log);
        await tx.CommitAsync(ct);

        // Fresh statistics for the planner (the owner may ANALYZE its tables).
        await using (var owner = new NpgsqlConnection(ownerConnectionString))
        {
            await owner.OpenAsync(ct);
            await owner.ExecuteAsync("ANALYZE invitees; ANALYZE webcasts; ANALYZE invitations; ANALYZE attendance;", commandTimeout: 600);
        }
        log($"Klart på {clock.Elapsed.TotalSeconds:N0} s: {tenants.Length} län, {municipalities.Length} kommuner, {invitees.Count:N0} inbjudningsbara, " +
            $"{webcasts.Count:N0} sändningar, {invitationCount:N0} inbjudningar, {plan.Attendance:N0} närvarorader (frö {plan.Seed}).");
        return true;
    }

    /// <summary>
    /// Deletes a previous bench data set (every tenant's invitees, webcasts, invitations and attendance) in each tenant's
    /// scope, in one transaction. Refuses (false, nothing changed) when any tenant has an invitee that is not bench data.
    /// </summary>
    static async Task<bool> ResetAsync(NpgsqlConnection conn, Action<string> log, CancellationToken ct)
    {
        var tenants = (await conn.QueryAsync<string>("SELECT id FROM tenants ORDER BY id")).ToArray();
        await using var tx = await conn.BeginTransactionAsync(ct);
        long deleted = 0;
        foreach (var tenant in tenants)
        {
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
            if (await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT FROM invitees WHERE person_key NOT LIKE 'bench-%')", transaction: tx))
            {
                log($"Län {tenant} har inbjudna som inte är benchmarkdata: --reset tar inte bort något.");
                await tx.RollbackAsync(ct);
                return false;
            }
            deleted += await conn.ExecuteAsync("""
                DELETE FROM attendance;
                DELETE FROM attendance_imports;
                DELETE FROM invitations;
                DELETE FROM webcasts;
                DELETE FROM invitees;
                """, transaction: tx, commandTimeout: 600);
        }
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', '', true)", transaction: tx);
        await conn.ExecuteAsync("DELETE FROM seed_runs WHERE name = @SeedName", new { SeedName = SeedBenchCommand.SeedName }, tx);
        await FlushReachSummaryAsync(conn, tx, log);
        await tx.CommitAsync(ct);
        log($"  tog bort det tidigare benchmarkdatasetet ({deleted:N0} rader)");
        return true;
    }

    /// <summary>
    /// Runs the reach summary's deferred flush (ADR 0051: every tenant's summary and the national counters) now, with a long
    /// timeout, instead of inside COMMIT (which has the connection's default command timeout).
    /// </summary>
    static async Task FlushReachSummaryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Action<string> log)
    {
        log("  räckviddssammanställningen …");
        await conn.ExecuteAsync("SET CONSTRAINTS ALL IMMEDIATE", transaction: tx, commandTimeout: 1800);
    }

    static Guid NextGuid(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40);   // version 4 layout (Guid byte order)
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b);
    }

    static async Task WriteNullable(NpgsqlBinaryImporter w, string? value, CancellationToken ct)
    {
        if (value is null) await w.WriteNullAsync(ct); else await w.WriteAsync(value, NpgsqlDbType.Text, ct);
    }

    static string Weighted(Random rng, string[] values, int[] weights)
    {
        var roll = rng.Next(weights.Sum());
        for (var i = 0; i < values.Length; i++)
        {
            if (roll < weights[i]) return values[i];
            roll -= weights[i];
        }
        return values[^1];
    }

    /// <summary>k distinct elements in random order (partial Fisher–Yates on a copy).</summary>
    static IEnumerable<T> Sample<T>(Random rng, T[] pool, int k)
    {
        var copy = (T[])pool.Clone();
        for (var i = 0; i < k; i++)
        {
            var j = rng.Next(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
            yield return copy[i];
        }
    }

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/> by largest remainder.</summary>
    public static int[] Apportion(double[] weights, int total, int minimum)
    {
        var sum = weights.Sum();
        var free = total - minimum * weights.Length;
        var exact = weights.Select(w => free * w / sum).ToArray();
        var result = exact.Select(e => minimum + (int)Math.Floor(e)).ToArray();
        var left = total - result.Sum();
        foreach (var i in exact.Select((e, i) => (r: e - Math.Floor(e), i)).OrderByDescending(x => x.r).ThenBy(x => x.i).Take(left).Select(x => x.i))
        {
            result[i]++;
        }
        return result;
    }
}
