using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Cli;

/// <summary>
/// <c>vvd oidc-keys rotate</c>: new signing and encryption keys for the OpenID Connect server (docs/decisions/0016).
/// They are published at once and take over after <c>--activate-after</c>; the old ones stay published and accepted
/// for <c>--retire-after</c> more.
/// </summary>
public static class OidcKeysCommand
{
    public static Command Create()
    {
        var activateAfter = new Option<TimeSpan>("--activate-after")
        {
            Description = "När de nya nycklarna börjar användas (minst två gånger Identity__OidcKeyRefreshInterval)",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
        };
        var retireAfter = new Option<TimeSpan>("--retire-after")
        {
            Description = "Hur länge de gamla nycklarna sedan godtas (längre än förnyelsetokens lever)",
            DefaultValueFactory = _ => TimeSpan.FromDays(14),
        };
        var rotate = new Command("rotate", "Skapa nya nycklar; de gamla fasas ut") { activateAfter, retireAfter };
        rotate.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build();
            var store = host.Services.GetRequiredService<OidcKeyStore>();
            if (parse.GetValue(activateAfter) < store.MinimumActivation)
            {
                Console.Error.WriteLine($"--activate-after måste vara minst {store.MinimumActivation:c} (två gånger Identity__OidcKeyRefreshInterval), så att varje instans hinner publicera de nya nycklarna innan de används.");
                return 2;
            }
            var (sig, enc) = await store.RotateAsync(parse.GetValue(activateAfter), parse.GetValue(retireAfter), ct);
            var activates = DateTimeOffset.UtcNow + parse.GetValue(activateAfter);
            Console.WriteLine($"Nya nycklar: {sig} (signering), {enc} (kryptering). Publiceras nu, används från {activates:yyyy-MM-dd HH:mm} UTC.");
            Console.WriteLine($"De tidigare nycklarna godtas till {activates + parse.GetValue(retireAfter):yyyy-MM-dd HH:mm} UTC.");
            return 0;
        });
        return new Command("oidc-keys", "OpenID Connect-serverns nycklar") { rotate };
    }
}
