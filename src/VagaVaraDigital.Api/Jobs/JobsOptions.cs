namespace VagaVaraDigital.Api.Jobs;

/// <summary>
/// Background jobs (Hangfire on PostgreSQL, schema <c>hangfire</c>). The same binary runs as <c>all</c> (web +
/// job server, the default), <c>web</c> (no job server) or <c>worker</c> (job server and health endpoints only):
/// <c>--role worker</c> on the command line, or <c>VVD_ROLE=worker</c>, or <c>Jobs__Role</c>.
/// </summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    public string Role { get; set; } = ProcessRoles.All;

    /// <summary>Run the job server (and the outbox sender) in this process; false for web-only or for tests.</summary>
    public bool Server { get; set; } = true;

    /// <summary>Hangfire workers in this process.</summary>
    public int WorkerCount { get; set; } = 5;

    /// <summary>How often an idle worker looks for a job in PostgreSQL.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the scheduler moves due delayed/recurring jobs to the queue.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping server waits for running jobs.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Register the recurring jobs of <see cref="RecurringJobs"/> at start-up (only where a server runs).</summary>
    public bool RegisterRecurringJobs { get; set; } = true;

    public const string Schema = "hangfire";

    public bool ServesWeb => Role != ProcessRoles.Worker;
    public bool RunsServer => Server && Role != ProcessRoles.Web;
}

public static class ProcessRoles
{
    public const string All = "all";
    public const string Web = "web";
    public const string Worker = "worker";
    public static readonly string[] Known = [All, Web, Worker];
}
