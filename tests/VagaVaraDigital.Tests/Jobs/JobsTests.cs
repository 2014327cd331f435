using System.Collections.Concurrent;
using System.Net;
using Dapper;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Jobs;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Jobs;

/// <summary>What a job running for one tenant saw and could do.</summary>
public sealed record ProbeResult(string[] InviteeTenants, string[] OutboxMarkers, int BRowsUpdated, bool InsertForBRefused);

/// <summary>A job that tries to read and change tenant B's rows while running for the tenant it was given.</summary>
public sealed class IsolationProbeJob(Db db)
{
    public static readonly ConcurrentDictionary<string, ProbeResult> Results = new();

    public async Task RunAsync(string tenantId, string runId, Guid otherInviteeId)
    {
        await using var uow = await db.BeginAsync();   // the tenant scope comes from the job's tenantId argument
        var tenants = (await uow.QueryAsync<string>("SELECT tenant_id FROM invitees")).ToArray();
        var markers = (await uow.QueryAsync<string>("SELECT payload->>'marker' FROM email_outbox")).ToArray();
        var updated = await uow.ExecuteAsync("UPDATE invitees SET notes = 'changed-by-job' WHERE id = @otherInviteeId OR tenant_id <> @tenantId",
            new { otherInviteeId, tenantId });
        var refused = false;
        await uow.ExecuteAsync("SAVEPOINT probe");
        try
        {
            await uow.ExecuteAsync("INSERT INTO audit_log (tenant_id, action) VALUES ('01', 'job.probe')");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            refused = true;
            await uow.ExecuteAsync("ROLLBACK TO SAVEPOINT probe");
        }
        await uow.CommitAsync();
        Results[runId] = new ProbeResult(tenants, markers, updated, refused);
    }
}

/// <summary>A platform job that counts its runs (the recurring-job test).</summary>
public sealed class RecurringProbeJob
{
    public static int Runs;

    public Task RunAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref Runs);
        return Task.CompletedTask;
    }
}

/// <summary>A tenant job that fails on its first run and succeeds on the next (the retry test).</summary>
public sealed class FlakyProbeJob(Db db)
{
    public static readonly ConcurrentDictionary<string, List<string>> Runs = new();

    public async Task RunAsync(string tenantId, string runId)
    {
        await using var uow = await db.BeginAsync();
        var seen = await uow.QuerySingleAsync<string>("SELECT current_setting('app.tenant_id')");
        var runs = Runs.GetOrAdd(runId, _ => []);
        lock (runs) runs.Add(seen);
        if (runs.Count == 1) throw new InvalidOperationException("the first run fails on purpose");
    }
}

public sealed class JobsTests : ApiTest
{
    /// <summary>A host that runs a real Hangfire server (one worker, quick polling) and no recurring jobs.</summary>
    static PlatformFactory JobServer() => new(Database, b => b
        .UseSetting("Jobs:Server", "true")
        .UseSetting("Jobs:RegisterRecurringJobs", "false")
        .UseSetting("Jobs:WorkerCount", "1")
        .UseSetting("Jobs:QueuePollInterval", "00:00:00.200")
        .UseSetting("Jobs:ShutdownTimeout", "00:00:02"));

    static async Task<Guid> BInviteeIdAsync()
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return await conn.ExecuteScalarAsync<Guid>("SELECT id FROM invitees WHERE tenant_id = @B", new { TwoTenants.B });
    }

    static async Task AssertBUntouchedAsync()
    {
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM invitees WHERE notes = 'changed-by-job' AND tenant_id = @B", new { TwoTenants.B }), Is.Zero);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'job.probe'"), Is.Zero);
    }

    static void AssertSawOnlyA(ProbeResult r)
    {
        Assert.Multiple(() =>
        {
            Assert.That(r.InviteeTenants, Is.Not.Empty.And.All.EqualTo(TwoTenants.A), "reads only A's invitees");
            Assert.That(r.OutboxMarkers, Has.None.EqualTo(TwoTenants.BMarker), "reads none of B's outbox");
            Assert.That(r.BRowsUpdated, Is.Zero, "changes none of B's rows");
            Assert.That(r.InsertForBRefused, Is.True, "cannot write a row for B");
        });
    }

    [Test]
    public async Task A_job_enqueued_for_tenant_A_on_a_real_Hangfire_server_cannot_read_or_change_Bs_rows()
    {
        await TwoTenants.SeedAsync(Database);
        var bInvitee = await BInviteeIdAsync();
        await using var app = JobServer();
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();

        var runId = Guid.NewGuid().ToString("N");
        var jobId = client.Enqueue<IsolationProbeJob>(j => j.RunAsync(TwoTenants.A, runId, bInvitee));

        var state = await WaitForFinalStateAsync(storage, jobId);
        Assert.That(state, Is.EqualTo("Succeeded"));
        AssertSawOnlyA(IsolationProbeJob.Results[runId]);
        await AssertBUntouchedAsync();

        // Its arguments are the tenant id and ids: nothing personal in Hangfire's tables.
        await using var conn = await Database.OpenSuperuserAsync();
        var stored = await conn.ExecuteScalarAsync<string>("SELECT arguments::text FROM hangfire.job WHERE id = @id", new { id = long.Parse(jobId) });
        Assert.That(stored, Does.Contain(TwoTenants.A).And.Not.Contain("@"));
    }

    [Test]
    public async Task A_job_run_directly_in_a_tenant_scope_sees_only_that_tenant()
    {
        await TwoTenants.SeedAsync(Database);
        var bInvitee = await BInviteeIdAsync();
        var runId = Guid.NewGuid().ToString("N");
        await TenantJobScope.RunAsync<IsolationProbeJob>(App.Services, TwoTenants.A, j => j.RunAsync(TwoTenants.A, runId, bInvitee));
        AssertSawOnlyA(IsolationProbeJob.Results[runId]);
        await AssertBUntouchedAsync();
    }

    [Test]
    public void The_job_scope_reads_the_tenant_from_the_tenantId_argument()
    {
        var job = Hangfire.Common.Job.FromExpression<IsolationProbeJob>(j => j.RunAsync("03", "x", Guid.Empty));
        Assert.That(TenantJobActivator.TenantIdOf(job), Is.EqualTo("03"));
        var platformJob = Hangfire.Common.Job.FromExpression<TenantFanOut<Api.Features.Email.OutboxHousekeepingJob>>(j => j.RunAsync(CancellationToken.None));
        Assert.That(TenantJobActivator.TenantIdOf(platformJob), Is.Null);
    }

    [Test]
    public async Task The_dashboard_at_jobs_is_for_SystemAdmin_only()
    {
        using var anonymous = await App.ClientAs(null).GetAsync("jobs");
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        foreach (var role in new[] { "CountyAdmin", "CountyEditor", "NationalViewer", "MunicipalUser" })
        {
            using var denied = await App.ClientAs(role, TwoTenants.A).GetAsync("jobs");
            Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), role);
        }
        using var admin = await App.ClientAs("SystemAdmin").GetAsync("jobs");
        Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await admin.Content.ReadAsStringAsync(), Does.Contain("Hangfire"));
    }

    [Test]
    public async Task Recurring_jobs_register_once_each_under_the_application_role()
    {
        Assert.That(RecurringJobs.All.Select(j => j.Id), Is.Unique);
        var manager = App.Services.GetRequiredService<IRecurringJobManager>();
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm") };
        foreach (var job in RecurringJobs.All) job.Register(manager, job.Id, job.Cron, options);
        foreach (var job in RecurringJobs.All) job.Register(manager, job.Id, job.Cron, options);   // idempotent

        await using var conn = await Database.OpenSuperuserAsync();
        var ids = (await conn.QueryAsync<string>("SELECT value FROM hangfire.set WHERE key = 'recurring-jobs'")).ToArray();
        Assert.That(ids, Is.SupersetOf(RecurringJobs.All.Select(j => j.Id)));
    }

    [Test]
    public async Task The_worker_role_serves_only_health()
    {
        await using var worker = new PlatformFactory(Database, b => b.UseSetting("role", "worker"));
        using var client = worker.CreateClient();
        using var live = await client.GetAsync("/health/live");
        using var api = await client.GetAsync("/t/uppsala/api/tenant");
        Assert.Multiple(() =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task The_web_role_serves_the_API_and_runs_no_job_server()
    {
        await using var web = new PlatformFactory(Database, b => b.UseSetting("role", "web").UseSetting("Jobs:Server", "true"));
        using var client = web.CreateClient();
        using var live = await client.GetAsync("/health/live");
        using var api = await client.GetAsync("/t/uppsala/api/tenant");
        var options = web.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value;
        await using var conn = await Database.OpenSuperuserAsync();
        var servers = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM hangfire.server WHERE id LIKE '%:web:%'");
        Assert.Multiple(() =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(api.StatusCode, Is.Not.EqualTo(HttpStatusCode.NotFound), "the API is served");
            Assert.That(options.ServesWeb, Is.True);
            Assert.That(options.RunsServer, Is.False, "no Hangfire server and no outbox sender in a web process");
            Assert.That(servers, Is.Zero, "no Hangfire server announced itself");
        });
    }

    [Test]
    public async Task A_recurring_job_runs_once_per_occurrence_however_many_servers_run()
    {
        static PlatformFactory Server() => new(Database, b => b
            .UseSetting("Jobs:Server", "true")
            .UseSetting("Jobs:RegisterRecurringJobs", "false")
            .UseSetting("Jobs:WorkerCount", "2")
            .UseSetting("Jobs:QueuePollInterval", "00:00:00.100")
            .UseSetting("Jobs:SchedulePollingInterval", "00:00:00.100")
            .UseSetting("Jobs:ShutdownTimeout", "00:00:02"));
        RecurringProbeJob.Runs = 0;
        await using var one = Server();
        await using var two = Server();
        await using var three = Server();
        _ = one.Services; _ = two.Services; _ = three.Services;   // three job servers on one database
        var manager = one.Services.GetRequiredService<IRecurringJobManager>();
        const string id = "test.recurring-probe";
        manager.AddOrUpdate<RecurringProbeJob>(id, j => j.RunAsync(CancellationToken.None), "0 0 1 1 *", new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        // Its occurrence on 1 January this year is made due now (as if every server had been down since): every
        // scheduler sees it at once.
        var due = new DateTime(DateTime.UtcNow.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            await conn.ExecuteAsync("""
                UPDATE hangfire.hash SET value = @next WHERE key = @key AND field = 'NextExecution';
                UPDATE hangfire.hash SET value = @before WHERE key = @key AND field = 'CreatedAt';
                INSERT INTO hangfire.hash (key, field, value) VALUES (@key, 'LastExecution', @before);
                UPDATE hangfire.set SET score = @score WHERE key = 'recurring-jobs' AND value = @id;
                """, new { key = $"recurring-job:{id}", id, next = due.ToString("o"), before = due.AddDays(-1).ToString("o"), score = (double)new DateTimeOffset(due).ToUnixTimeSeconds() });
        }

        await Eventually.WaitForAsync("the recurring job's first run (runs)", () => Volatile.Read(ref RecurringProbeJob.Runs), n => n > 0,
            TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));   // twenty more polls of each scheduler

        manager.RemoveIfExists(id);
        await using var check = await Database.OpenSuperuserAsync();
        var created = await check.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%RecurringProbeJob%'");
        Assert.Multiple(() =>
        {
            Assert.That(RecurringProbeJob.Runs, Is.EqualTo(1), "ran once");
            Assert.That(created, Is.EqualTo(1), "one background job for the occurrence");
        });
    }

    [Test]
    public async Task A_failed_job_is_scheduled_again_and_its_retry_runs_in_the_same_tenant()
    {
        await using var app = JobServer();
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();
        var runId = Guid.NewGuid().ToString("N");
        var jobId = client.Enqueue<FlakyProbeJob>(j => j.RunAsync(TwoTenants.A, runId));

        // The failure is recorded and the job is scheduled again (Hangfire's AutomaticRetry, 10 attempts, backoff).
        string? State() { using var c = storage.GetConnection(); return c.GetJobData(jobId)?.State; }
        string? RetryCount() { using var c = storage.GetConnection(); return c.GetJobParameter(jobId, "RetryCount"); }
        var state = await Eventually.WaitForAsync($"job {jobId} to be scheduled again after its failure (state)", State, s => s == "Scheduled",
            TimeSpan.FromSeconds(60));
        var details = storage.GetMonitoringApi().JobDetails(jobId);
        Assert.Multiple(() =>
        {
            Assert.That(state, Is.EqualTo("Scheduled"), "a failed run waits for its retry");
            Assert.That(details.History.Select(h => h.StateName), Does.Contain("Failed"));
            Assert.That(details.History.First(h => h.StateName == "Scheduled").Reason, Does.Contain("Retry attempt 1 of 10"));
            Assert.That(RetryCount(), Is.EqualTo("1"));
        });

        // The retry is brought forward instead of waiting out the backoff: it runs again for tenant A and succeeds.
        Assert.That(client.Requeue(jobId), Is.True);
        Assert.That(await WaitForFinalStateAsync(storage, jobId), Is.EqualTo("Succeeded"));
        Assert.That(FlakyProbeJob.Runs[runId], Is.EqualTo(new[] { TwoTenants.A, TwoTenants.A }));
    }

    static Task<string?> WaitForFinalStateAsync(JobStorage storage, string jobId) =>
        Eventually.WaitForAsync($"job {jobId} to reach a final state (state)", () =>
        {
            using var connection = storage.GetConnection();
            return connection.GetJobData(jobId)?.State;
        }, state => state is "Succeeded" or "Failed" or "Deleted", TimeSpan.FromSeconds(60));
}
