namespace VagaVaraDigital.Api.Features.Invitees;

public static partial class InviteesApi
{
    static void MapPrivacyEndpoints(IEndpointRouteBuilder app)
    {
    }
}
