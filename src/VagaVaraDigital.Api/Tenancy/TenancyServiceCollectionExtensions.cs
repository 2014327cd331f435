namespace VagaVaraDigital.Api.Tenancy;

public static class TenancyServiceCollectionExtensions
{
    public static IServiceCollection AddTenancy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TenancyOptions>()
            .Bind(configuration.GetSection(TenancyOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.PathPrefix), "Tenancy:PathPrefix must not be empty")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<TenantStore>();
        services.AddSingleton<ITenantResolutionStrategy, HostStrategy>();
        services.AddSingleton<ITenantResolutionStrategy, PathStrategy>();
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContextAccessor>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<ITenantContextSetter>(sp => sp.GetRequiredService<TenantContext>());
        return services;
    }

    /// <summary>Host and path resolution; must run before routing so PathBase is set.</summary>
    public static IApplicationBuilder UseTenantResolution(this IApplicationBuilder app) =>
        app.UseMiddleware<TenantResolutionMiddleware>();

    /// <summary>Claim resolution and the tenant checks; runs after authentication, before authorization.</summary>
    public static IApplicationBuilder UseTenantAccess(this IApplicationBuilder app) =>
        app.UseMiddleware<TenantAccessMiddleware>();

    /// <summary>Marks every endpoint of the group as working inside one tenant.</summary>
    public static TBuilder RequireTenant<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new TenantScopedAttribute());
}
