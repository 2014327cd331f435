using Hangfire;
using Hangfire.Common;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Jobs;

/// <summary>
/// The tenant job scope. Every job runs in its own DI scope; when the job's method has a parameter
/// <c>string tenantId</c>, that scope's tenant context is set to it before the job is created, so the job's
/// <see cref="Data.Db.BeginAsync"/> opens units of work under that tenant's row-level security — exactly as a
/// request for that tenant would. Job arguments are ids only (never personal data).
/// </summary>
public sealed class TenantJobActivator(IServiceScopeFactory scopes) : JobActivator
{
    public const string TenantIdParameter = "tenantId";

    public override object ActivateJob(Type jobType) =>
        throw new InvalidOperationException("Jobs are created in a scope (BeginScope).");

    public override JobActivatorScope BeginScope(JobActivatorContext context)
    {
        var scope = scopes.CreateScope();
        try
        {
            if (TenantIdOf(context.BackgroundJob.Job) is { } tenantId)
            {
                EnterTenantAsync(scope.ServiceProvider, tenantId).GetAwaiter().GetResult();
            }
            return new Scope(scope);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    /// <summary>The job's tenant: the value of its <c>string tenantId</c> parameter, if it has one.</summary>
    public static string? TenantIdOf(Job? job)
    {
        if (job is null) return null;
        var parameters = job.Method.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Name == TenantIdParameter && parameters[i].ParameterType == typeof(string))
            {
                return job.Args[i] as string ?? throw new InvalidOperationException("A tenant job needs a tenant id.");
            }
        }
        return null;
    }

    /// <summary>Sets the scope's tenant (unknown tenant ids fail the job: Hangfire records and retries it).</summary>
    public static async Task EnterTenantAsync(IServiceProvider services, string tenantId, CancellationToken ct = default)
    {
        var tenant = await services.GetRequiredService<TenantStore>().FindByIdAsync(tenantId, ct)
            ?? throw new InvalidOperationException($"Unknown tenant '{tenantId}'.");
        services.GetRequiredService<ITenantContextSetter>().SetTenant(tenant);
    }

    sealed class Scope(IServiceScope scope) : JobActivatorScope
    {
        public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);
        public override void DisposeScope() => scope.Dispose();
    }
}

/// <summary>Runs a job's code in a tenant scope without Hangfire (the CLI and tests use it; the server uses the activator).</summary>
public static class TenantJobScope
{
    public static async Task RunAsync<TJob>(IServiceProvider root, string tenantId, Func<TJob, Task> run, CancellationToken ct = default)
        where TJob : notnull
    {
        await using var scope = root.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await TenantJobActivator.EnterTenantAsync(scope.ServiceProvider, tenantId, ct);
        await run(ActivatorUtilities.GetServiceOrCreateInstance<TJob>(scope.ServiceProvider));
    }
}
