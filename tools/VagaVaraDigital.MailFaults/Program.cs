using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.MailFaults;

/// <summary>
/// vvd-mail-faults — proves the e-mail pipeline's reliability against real processes, a real PostgreSQL and a real
/// SMTP server on loopback, and measures its throughput.
///   fault [--short]   kill -9 mid-send, two workers, PostgreSQL stopped (30 s; 5 s with --short)
///   bench [--count N] N reminders for one webcast to the SMTP sink, and the sink's own ceiling
/// Each scenario starts its own private PostgreSQL cluster and worker processes (the API binary with --role worker).
/// Exit code 0 when every check holds.
/// </summary>
public static class Program
{
    static string Root = "";
    static string Configuration = "Debug";

    public static async Task<int> Main(string[] args)
    {
        Root = FindRoot();
        Configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var mode = args.FirstOrDefault() ?? "fault";
        var isShort = args.Contains("--short");
        var count = args.SkipWhile(a => a != "--count").Skip(1).Select(int.Parse).FirstOrDefault();
        try
        {
            return mode switch
            {
                "fault" => await FaultsAsync(isShort) ? 0 : 1,
                "bench" => await BenchAsync(count == 0 ? 20_000 : count) ? 0 : 1,
                _ => Usage(),
            };
        }
        finally
        {
            foreach (var p in Workers.ToArray()) Kill(p);
        }
    }

    static int Usage()
    {
        Console.Error.WriteLine("usage: vvd-mail-faults fault [--short] | bench [--count N]");
        return 2;
    }

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VagaVaraDigital.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
    }

    // --- scenarios -----------------------------------------------------------------------------------

    static async Task<bool> FaultsAsync(bool isShort)
    {
        var n = isShort ? 300 : 2_000;
        var outage = TimeSpan.FromSeconds(isShort ? 3 : 30);
        var ok = true;
        await using var pg = await Cluster.StartAsync();   // one cluster; each scenario starts from empty tables
        ok &= await KillNineAsync(pg, n);
        ok &= await TwoWorkersAsync(pg, n);
        ok &= await PostgresOutageAsync(pg, n, outage);
        Console.WriteLine(ok ? "mail-faults: PASS" : "mail-faults: FAIL");
        return ok;
    }

    const int Lanes = 4;

    static async Task<bool> KillNineAsync(Cluster pg, int n)
    {
        Console.WriteLine($"== kill -9 in the middle of sending {n} messages");
        await using var sink = await SmtpSink.StartAsync(keepMessages: false);
        await SeedAsync(pg, n);
        var lease = TimeSpan.FromSeconds(10);
        var worker = StartWorker(pg, sink, lease);
        await WaitAsync(() => sink.Accepted >= n * 2 / 5, TimeSpan.FromSeconds(120), "40 % delivered");
        Kill(worker);
        var atKill = sink.Accepted;
        var inFlight = await CountAsync(pg, "status = 'sending'");
        Console.WriteLine($"   killed after {atKill} deliveries; rows leased at the kill: {inFlight}");
        var restarted = StartWorker(pg, sink, lease);
        var done = await WaitAsync(async () => await CountAsync(pg, "status = 'sent'") == n, TimeSpan.FromSeconds(180), "all sent after restart");
        if (!done) await DescribeUnsentAsync(pg);
        Kill(restarted);
        var lost = n - sink.MessageIds.Count;
        Console.WriteLine($"   delivered {sink.MessageIds.Count}/{n} distinct, lost {lost}, duplicates {sink.Duplicates} (limit: {Lanes} lanes in flight)");
        return Check(done && lost == 0 && sink.Duplicates <= Lanes, "kill -9");
    }

    static async Task<bool> TwoWorkersAsync(Cluster pg, int n)
    {
        Console.WriteLine($"== two worker processes, {n} messages");
        await using var sink = await SmtpSink.StartAsync(keepMessages: false);
        await SeedAsync(pg, n);
        var a = StartWorker(pg, sink);
        var b = StartWorker(pg, sink);
        var done = await WaitAsync(async () => await CountAsync(pg, "status = 'sent'") == n, TimeSpan.FromSeconds(180), "all sent");
        Kill(a);
        Kill(b);
        var byWorker = await ScalarAsync<long>(pg, "SELECT count(DISTINCT split_part(message_id, '@', 1)) FROM email_outbox");
        Console.WriteLine($"   delivered {sink.Accepted} messages, {sink.MessageIds.Count} distinct, duplicates {sink.Duplicates}; {byWorker} distinct Message-IDs in the outbox");
        return Check(done && sink.Accepted == n && sink.Duplicates == 0, "two workers");
    }

    static async Task<bool> PostgresOutageAsync(Cluster pg, int n, TimeSpan outage)
    {
        Console.WriteLine($"== PostgreSQL stopped for {outage.TotalSeconds:0} s while sending {n} messages");
        await using var sink = await SmtpSink.StartAsync(keepMessages: false);
        await SeedAsync(pg, n);
        var worker = StartWorker(pg, sink);
        await WaitAsync(() => sink.Accepted >= n / 4, TimeSpan.FromSeconds(120), "25 % delivered");
        pg.Stop();
        var atStop = sink.Accepted;
        await Task.Delay(outage);
        var duringOutage = sink.Accepted - atStop;
        pg.Start();
        Console.WriteLine($"   stopped after {atStop} deliveries ({duringOutage} more completed during the outage); started again");
        var done = await WaitAsync(async () => await CountAsync(pg, "status = 'sent'") == n, TimeSpan.FromSeconds(240), "all sent after the outage");
        if (!done) await DescribeUnsentAsync(pg);
        Kill(worker);
        var lost = n - sink.MessageIds.Count;
        Console.WriteLine($"   delivered {sink.MessageIds.Count}/{n} distinct, lost {lost}, duplicates {sink.Duplicates}");
        return Check(done && lost == 0 && sink.Duplicates <= Lanes, "PostgreSQL outage");
    }

    static async Task<bool> BenchAsync(int n)
    {
        Console.WriteLine($"== benchmark: {n} reminders for one webcast to a local SMTP sink ({Environment.ProcessorCount} cores)");
        await using var pg = await Cluster.StartAsync();
        await using var sink = await SmtpSink.StartAsync(keepMessages: false);

        var schedule = Stopwatch.StartNew();
        await SeedAsync(pg, n, viaSchedule: true);
        Console.WriteLine($"   scheduling {n} reminders (ReminderSchedule.RescheduleWebcastAsync): {schedule.Elapsed.TotalSeconds:0.0} s");
        var before = sink.Accepted;
        var worker = StartWorker(pg, sink);
        var watch = Stopwatch.StartNew();
        var done = await WaitAsync(async () => await CountAsync(pg, "status = 'sent'") == n, TimeSpan.FromSeconds(600), "all sent");
        var first = await ScalarAsync<DateTime>(pg, "SELECT min(sent_at) FROM email_outbox");
        var last = await ScalarAsync<DateTime>(pg, "SELECT max(sent_at) FROM email_outbox");
        Kill(worker);
        var sending = (last - first).TotalSeconds;
        var sent = sink.Accepted - before;
        var duplicates = sink.Duplicates;
        // The floor: the sink's own ceiling with the same number of connections, pre-built messages, no database.
        var ceiling = await SinkCeilingAsync(sink, Math.Min(n, 10_000));
        Console.WriteLine($"   SMTP sink ceiling ({Lanes} connections, MailKit, pre-built messages, no database): {ceiling:0} messages/s");
        var rate = n / Math.Max(sending, 0.001);
        Console.WriteLine($"   sent {sent} in {sending:0.0} s from first to last delivery ({watch.Elapsed.TotalSeconds:0.0} s including worker start-up): {rate:0} messages/s");
        Console.WriteLine($"   ratio to the sink's ceiling: {rate / ceiling:0.00}; duplicates {duplicates}");
        Console.WriteLine($"RESULT count={n} seconds={sending:0.0} rate={rate:0} ceiling={ceiling:0} ratio={rate / ceiling:0.00}");
        return Check(done && sent == n && duplicates == 0, $"{n} delivered once each") & Check(n < 20_000 || sending <= 60, "20,000 in ≤ 60 s");
    }

    static async Task<double> SinkCeilingAsync(SmtpSink sink, int n)
    {
        static MimeMessage Message()
        {
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Länsstyrelsen", "noreply@vagavaradigital.se"));
            message.To.Add(new MailboxAddress("Anna", "anna@kommun.example"));
            message.Subject = "Påminnelse";
            message.Body = new BodyBuilder { TextBody = new string('x', 1500), HtmlBody = "<p>" + new string('x', 3000) + "</p>" }.ToMessageBody();
            return message;
        }
        var before = sink.Accepted;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => Task.Run(async () =>
        {
            var message = Message();
            using var client = new SmtpClient();
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, sink.Port);
            await client.ConnectAsync(socket, "127.0.0.1", sink.Port, SecureSocketOptions.None);
            for (var i = lane; i < n; i += Lanes)
            {
                message.MessageId = $"ceiling-{i}@bench";
                await client.SendAsync(message);
            }
            await client.DisconnectAsync(true);
        })));
        var rate = (sink.Accepted - before) / watch.Elapsed.TotalSeconds;
        sink.MessageIds.Clear();
        return rate;
    }

    static async Task DescribeUnsentAsync(Cluster pg)
    {
        await using var conn = new NpgsqlConnection(pg.Superuser);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT id, status, attempts, coalesce(last_error, ''), coalesce(next_attempt_at::text, ''), coalesce(locked_until::text, ''), now()::text FROM email_outbox WHERE status <> 'sent' LIMIT 10", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            Console.WriteLine($"   unsent: id {r.GetInt64(0)} {r.GetString(1)} attempts {r.GetInt32(2)} error '{r.GetString(3)}' next {r.GetString(4)} lease {r.GetString(5)} now {r.GetString(6)}");
    }

    static bool Check(bool ok, string what)
    {
        Console.WriteLine($"   {(ok ? "PASS" : "FAIL")}: {what}");
        return ok;
    }

    // --- data ----------------------------------------------------------------------------------------

    /// <summary>n accepted invitations to one webcast of Uppsala (03), each with one reminder due now.</summary>
    static async Task SeedAsync(Cluster pg, int n, bool viaSchedule = false)
    {
        await using var conn = new NpgsqlConnection(pg.Superuser);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand("""
            TRUNCATE email_outbox, attendance, invitations, invitees, webcasts CASCADE;
            UPDATE tenants SET is_active = true;
            UPDATE tenant_settings SET reminder_offsets_minutes = '{60}', reply_to_email = 'kontakt@lansstyrelsen.example' WHERE tenant_id = '03';
            INSERT INTO webcasts (id, tenant_id, title, description, starts_at, duration_minutes, join_url, status)
            VALUES ('00000000-0000-0000-0000-0000000000aa', '03', 'Digitalisering i praktiken', 'Om planering och byggande',
                    now() + interval '61 minutes', 60, 'https://teams.example/bench', 'scheduled');
            INSERT INTO invitees (id, tenant_id, first_name, last_name, email, email_normalized, person_key, role_category)
            SELECT ('00000000-0000-0000-0001-' || lpad(to_hex(g), 12, '0'))::uuid, '03', 'Förnamn' || g, 'Efternamn', 'ledare' || g || '@kommun.example',
                   'ledare' || g || '@kommun.example', 'pk' || g, 'fortroendevald'
            FROM generate_series(1, @n) g;
            INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token, status)
            SELECT '03', '00000000-0000-0000-0000-0000000000aa', ('00000000-0000-0000-0001-' || lpad(to_hex(g), 12, '0'))::uuid,
                   'benchtoken-' || lpad(g::text, 16, '0'), 'accepted'
            FROM generate_series(1, @n) g;
            """, conn))
        {
            cmd.Parameters.AddWithValue("n", n);
            await cmd.ExecuteNonQueryAsync();
        }

        // The reminders come from the real schedule, run as the application role in the tenant's scope.
        var dataSource = NpgsqlDataSource.Create(pg.App + ";Command Timeout=600");
        await using (dataSource)
        {
            var db = new Db(dataSource, new FixedTenant());
            await using var uow = await db.BeginForTenantAsync("03");
            var added = await VagaVaraDigital.Api.Features.Email.ReminderSchedule.RescheduleWebcastAsync(uow, Guid.Parse("00000000-0000-0000-0000-0000000000aa"));
            await uow.CommitAsync();
            if (added != n) throw new InvalidOperationException($"Scheduled {added} reminders, expected {n}.");
        }
        _ = viaSchedule;
        await using var due = new NpgsqlCommand("UPDATE email_outbox SET due_at = now()", conn);
        await due.ExecuteNonQueryAsync();
    }

    sealed class FixedTenant : VagaVaraDigital.Api.Tenancy.ITenantContextAccessor
    {
        public VagaVaraDigital.Api.Tenancy.TenantInfo? Tenant => null;
    }

    static async Task<long> CountAsync(Cluster pg, string where) => await ScalarAsync<long>(pg, $"SELECT count(*) FROM email_outbox WHERE {where}");

    static async Task<T> ScalarAsync<T>(Cluster pg, string sql)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var conn = new NpgsqlConnection(pg.Superuser);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand(sql, conn);
                return (T)(await cmd.ExecuteScalarAsync())!;
            }
            catch (NpgsqlException) when (attempt < 100)
            {
                await Task.Delay(300);
            }
        }
    }

    static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, string what) => await WaitAsync(() => Task.FromResult(condition()), timeout, what);

    static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        Console.WriteLine($"   timed out waiting for: {what}");
        return false;
    }

    // --- worker processes ----------------------------------------------------------------------------

    static readonly List<Process> Workers = [];

    static Process StartWorker(Cluster pg, SmtpSink sink, TimeSpan? lease = null)
    {
        var dll = Path.Combine(Root, "src/VagaVaraDigital.Api/bin", Configuration, "net10.0/VagaVaraDigital.Api.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, "--role", "worker"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        var env = psi.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Development";
        env["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        env["ConnectionStrings__Postgres"] = pg.App;
        env["ConnectionStrings__PostgresMigrations"] = pg.Owner;
        env["Database__MigrateOnStartup"] = "false";
        env["Jobs__RegisterRecurringJobs"] = "false";
        env["Email__SmtpHost"] = "127.0.0.1";
        env["Email__SmtpPort"] = sink.Port.ToString(CultureInfo.InvariantCulture);
        env["Email__SmtpSecurity"] = "none";
        env["Email__PollInterval"] = "00:00:00.200";
        if (lease is { } l) env["Email__LeaseDuration"] = l.ToString("c", CultureInfo.InvariantCulture);
        env["Logging__LogLevel__Default"] = "Warning";
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && Environment.GetEnvironmentVariable("VVD_FAULTS_VERBOSE") is not null) Console.Error.WriteLine($"   [worker {p.Id}] {line}"); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Workers.Add(p);
        return p;
    }

    /// <summary>SIGKILL: no shutdown, no cleanup — as a crash or an OOM kill.</summary>
    static void Kill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); p.WaitForExit(10_000); } catch (InvalidOperationException) { }
        Workers.Remove(p);
    }

    // --- a private PostgreSQL cluster ------------------------------------------------------------------

    sealed class Cluster : IAsyncDisposable
    {
        readonly string _dir;
        readonly string _bin;
        readonly int _port;
        readonly bool _root = Environment.UserName == "root";

        Cluster(string dir, string bin, int port) { _dir = dir; _bin = bin; _port = port; }

        public string Superuser => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=vvd;Pooling=false";
        public string Owner => $"Host=127.0.0.1;Port={_port};Username=vvd_owner;Database=vvd";
        public string App => $"Host=127.0.0.1;Port={_port};Username=vvd_app;Database=vvd";

        public static async Task<Cluster> StartAsync()
        {
            var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
                ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql.");
            var dir = Path.Combine(Path.GetTempPath(), $"vvd-faults-{Guid.NewGuid():N}"[..30]);
            Directory.CreateDirectory(dir);
            var c = new Cluster(dir, bin, FreePort());
            if (c._root) Run("chown", $"postgres: {dir}");
            c.Pg("initdb", $"-D {dir}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
            c.Start();
            await using (var conn = new NpgsqlConnection($"Host=127.0.0.1;Port={c._port};Username=postgres;Database=postgres;Pooling=false"))
            {
                await conn.OpenAsync();
                foreach (var sql in new[] { "CREATE ROLE vvd_owner LOGIN CREATEROLE", "CREATE DATABASE vvd OWNER vvd_owner" })
                {
                    await using var cmd = new NpgsqlCommand(sql, conn);
                    await cmd.ExecuteNonQueryAsync();
                }
            }
            Migrator.Migrate(new DatabaseOptions { ConnectionString = c.App, MigrationsConnectionString = c.Owner }, NullLogger.Instance);
            return c;
        }

        public void Start() => Pg("pg_ctl", $"-D {_dir}/data -l {_dir}/log -o \"-p {_port} -c listen_addresses=127.0.0.1 -k {_dir} -c max_connections=300\" -w -t 60 start");

        public void Stop()
        {
            NpgsqlConnection.ClearAllPools();
            Pg("pg_ctl", $"-D {_dir}/data -m fast -w -t 60 stop");
        }

        void Pg(string program, string args)
        {
            var exe = Path.Combine(_bin, program);
            if (_root) Run("runuser", $"-u postgres -- {exe} {args}"); else Run(exe, args);
        }

        static void Run(string file, string args)
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args}: {err.Result}");
        }

        static int FreePort()
        {
            using var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return ((IPEndPoint)l.LocalEndpoint).Port;
        }

        public ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            try { Pg("pg_ctl", $"-D {_dir}/data -m immediate -w stop"); } catch (InvalidOperationException) { }
            try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return ValueTask.CompletedTask;
        }
    }
}
