using Microsoft.Extensions.Options;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// The invitation lists: invitees, import and export, municipal nominations and the GDPR rights
/// (issue 5). County staff maintain the whole tenant; a MunicipalUser only their own municipality.
/// </summary>
public static partial class InviteesApi
{
    public static IServiceCollection AddInvitees(this IServiceCollection services)
    {
        services.AddOptions<InviteeOptions>()
            .BindConfiguration(InviteeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<InviteeOptions>, ProductionSecretCheck>();
        services.AddSingleton<PersonKeys>();
        services.AddScoped<InviteeRetention>();
        return services;
    }

    /// <summary>The development secret of the person key must never reach production.</summary>
    sealed class ProductionSecretCheck(IHostEnvironment environment) : IValidateOptions<InviteeOptions>
    {
        public ValidateOptionsResult Validate(string? name, InviteeOptions options) =>
            environment.IsProduction() && options.PersonKeySecret == InviteeOptions.DevelopmentPersonKeySecret
                ? ValidateOptionsResult.Fail("Invitees:PersonKeySecret must be set in production (see docs/decisions/0020-person-key.md).")
                : ValidateOptionsResult.Success;
    }
}
