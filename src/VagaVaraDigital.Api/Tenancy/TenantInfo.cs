namespace VagaVaraDigital.Api.Tenancy;

/// <summary>One county board. <see cref="Id"/> is the county code ("03").</summary>
public sealed record TenantInfo(string Id, string Slug, string Name, bool IsActive);

/// <summary>Read the tenant of the current request or job.</summary>
public interface ITenantContextAccessor
{
    TenantInfo? Tenant { get; }
}

/// <summary>Set the tenant: only the resolution middleware and the job scope do this.</summary>
public interface ITenantContextSetter
{
    void SetTenant(TenantInfo tenant);
}

/// <summary>Scoped holder of the current tenant.</summary>
public sealed class TenantContext : ITenantContextAccessor, ITenantContextSetter
{
    public TenantInfo? Tenant { get; private set; }

    public void SetTenant(TenantInfo tenant)
    {
        if (Tenant is not null && Tenant.Id != tenant.Id)
        {
            throw new InvalidOperationException("The tenant of a scope cannot change once set.");
        }
        Tenant = tenant;
    }
}

/// <summary>Thrown when tenant-scoped work is attempted without a tenant; becomes a 400 problem.</summary>
public sealed class TenantRequiredException() : InvalidOperationException("This operation needs a tenant.");

/// <summary>Endpoint metadata: the endpoint works inside one tenant and answers 400 without one.</summary>
public sealed class TenantScopedAttribute : Attribute;
