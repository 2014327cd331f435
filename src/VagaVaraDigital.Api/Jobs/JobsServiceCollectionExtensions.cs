using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Api.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire on PostgreSQL (schema <c>hangfire</c>, created by the migrator — see <see cref="JobsSchema"/>),
    /// the tenant job scope, and — when this process runs jobs — the Hangfire server and the recurring jobs.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var role = (configuration["role"] ?? configuration["VVD_ROLE"])?.Trim().ToLowerInvariant();
        services.AddOptions<JobsOptions>()
            .Bind(configuration.GetSection(JobsOptions.Section))
            .Configure(o => { if (!string.IsNullOrEmpty(role)) o.Role = role; })
            .Validate(o => ProcessRoles.Known.Contains(o.Role), "Role must be all, web or worker (--role / VVD_ROLE / Jobs:Role).")
            .Validate(o => o.WorkerCount is > 0 and <= 100, "Jobs:WorkerCount must be 1–100.")
            .ValidateOnStart();

        services.AddSingleton<JobActivator, TenantJobActivator>();
        services.AddHangfire((sp, config) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseActivator(sp.GetRequiredService<JobActivator>())
                .UseLogProvider(HangfireLogProvider.Use(sp.GetRequiredService<ILoggerFactory>()))
                .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(db.ConnectionString), new PostgreSqlStorageOptions
                {
                    SchemaName = JobsOptions.Schema,
                    PrepareSchemaIfNecessary = false,   // the migrator installs the schema (ADR 0030)
                    QueuePollInterval = jobs.QueuePollInterval,
                    InvisibilityTimeout = TimeSpan.FromMinutes(30),
                    UseSlidingInvisibilityTimeout = true,
                });
        });

        // The server is registered always and decides at start whether to run: the options are bound by then.
        var before = services.Where(d => d.ServiceType == typeof(IHostedService)).ToArray();
        services.AddHangfireServer((sp, o) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            o.WorkerCount = jobs.WorkerCount;
            o.SchedulePollingInterval = jobs.SchedulePollingInterval;
            o.ShutdownTimeout = jobs.ShutdownTimeout;
            o.StopTimeout = jobs.ShutdownTimeout;
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{jobs.Role}";
        });
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).Except(before).Single();
        services.Remove(hosted);
        services.AddSingleton<IHostedService>(sp => new WhenServer(sp, hosted));
        services.AddHostedService<RecurringJobsRegistrarWhenServer>();
        return services;
    }

    /// <summary>Hangfire's hosted server, started only when <see cref="JobsOptions.RunsServer"/>.</summary>
    sealed class WhenServer(IServiceProvider sp, ServiceDescriptor inner) : IHostedService
    {
        IHostedService? _inner;

        public Task StartAsync(CancellationToken ct)
        {
            if (!sp.GetRequiredService<IOptions<JobsOptions>>().Value.RunsServer) return Task.CompletedTask;
            _inner = (IHostedService)(inner.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!));
            return _inner.StartAsync(ct);
        }

        public async Task StopAsync(CancellationToken ct)
        {
            if (_inner is null) return;
            await _inner.StopAsync(ct);
            (_inner as IDisposable)?.Dispose();
        }
    }

    sealed class RecurringJobsRegistrarWhenServer(IServiceProvider sp, IOptions<JobsOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => options.Value.RunsServer
            ? ActivatorUtilities.CreateInstance<RecurringJobsRegistrar>(sp).StartAsync(ct)
            : Task.CompletedTask;

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>In the worker role this process serves only its health endpoints.</summary>
    public static IApplicationBuilder UseProcessRole(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<JobsOptions>>().Value;
        if (options.ServesWeb) return app;
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/health")) { await next(context); return; }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
    }

    /// <summary>The Hangfire dashboard at <c>/jobs</c>: SystemAdmin only (no read-only access for anyone else).</summary>
    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.SystemAdmin, "/jobs", new DashboardOptions
        {
            Authorization = [new SystemAdminOnly()],
            AsyncAuthorization = [],
            DashboardTitle = "Våga vara digital – bakgrundsjobb",
            AppPath = "/",
            DisplayStorageConnectionString = false,
            IgnoreAntiforgeryToken = false,
        });
        return app;
    }

    sealed class SystemAdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.SystemAdmin);
    }
}
