using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Attendance;
using VagaVaraDigital.Api.Features.AdminApp;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Features.Health;
using VagaVaraDigital.Api.Features.Invitees;
using VagaVaraDigital.Api.Features.Reach;
using VagaVaraDigital.Api.Features.Reference;
using VagaVaraDigital.Api.Features.Webcasts;
using VagaVaraDigital.Api.Features.Identity;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Jobs;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Hosting;

/// <summary>
/// Every service of the platform, in one list: the web host and the <c>vvd</c> command line build the same
/// container from it, so a command (seed-demo, create-user) runs the same code as the API.
/// </summary>
public static class PlatformServices
{
    public static IServiceCollection AddPlatformServices(this IServiceCollection services, IConfiguration configuration)
    {
        // Cross-cutting
        services.AddSingleton(TimeProvider.System);
        services.AddTrustedProxies(configuration);
        services.AddData(configuration);
        services.AddTenancy(configuration);
        services.AddPlatformIdentity(configuration);
        services.AddApiDocs();
        services.AddHealth();
        services.AddJobs(configuration);

        // Features
        services.AddReference();
        services.AddAudit();
        services.AddInvitees();
        services.AddReach();
        services.AddWebcasts();
        services.AddAttendance();
        services.AddSignIn();
        services.AddSso();
        services.AddEmail();
        services.AddAdminApp(configuration);
        return services;
    }
}
