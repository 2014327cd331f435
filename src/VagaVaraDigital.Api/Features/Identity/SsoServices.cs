using VagaVaraDigital.Api.Identity.Sso;

namespace VagaVaraDigital.Api.Features.Identity;

public static class SsoServices
{
    /// <summary>The municipal SSO providers' catalog (and, through it, the OpenIddict client's registrations), kept fresh in the background.</summary>
    public static IServiceCollection AddSso(this IServiceCollection services) =>
        services.AddSingleton<SsoCatalog>().AddHostedService<SsoCatalogRefresher>();
}
