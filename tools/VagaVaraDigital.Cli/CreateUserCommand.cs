using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;

namespace VagaVaraDigital.Cli;

/// <summary>
/// <c>vvd create-user --email … --role SystemAdmin</c>: creates an account (typically the first SystemAdmin) and
/// prints its activation link, where the person chooses a password and, for the MFA roles, enrols TOTP.
/// </summary>
public static class CreateUserCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "E-postadress (inloggningsnamn)", Required = true };
        var role = new Option<string>("--role") { Description = "SystemAdmin, NationalViewer, CountyAdmin, CountyEditor", DefaultValueFactory = _ => Roles.SystemAdmin };
        var tenant = new Option<string?>("--tenant") { Description = "Länskod (\"03\") för CountyAdmin och CountyEditor" };
        var name = new Option<string?>("--name") { Description = "Namn som visas" };
        var origin = new Option<string?>("--origin") { Description = "Webbadressen i länken (annars Identity__PublicOrigin eller http://127.0.0.1:5080)" };
        var command = new Command("create-user", "Skapa ett konto och skriv ut länken där lösenord väljs") { email, role, tenant, name, origin };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
            var r = parse.GetValue(role)!;
            var t = parse.GetValue(tenant);
            if (!Roles.All.Contains(r) || r == Roles.MunicipalUser)
            {
                Console.Error.WriteLine($"Okänd roll {r}. Välj SystemAdmin, NationalViewer, CountyAdmin eller CountyEditor.");
                return 2;
            }
            if (Roles.CrossTenant.Contains(r) != (t is null))
            {
                Console.Error.WriteLine(t is null ? "Ange --tenant (länskod) för den rollen." : "Den rollen hör inte till något län: utelämna --tenant.");
                return 2;
            }
            var user = new PlatformUser
            {
                UserName = parse.GetValue(email)!.Trim(), Email = parse.GetValue(email)!.Trim(), Role = r, TenantId = t,
                DisplayName = parse.GetValue(name), CreatedAt = DateTime.UtcNow,
            };
            var result = await users.CreateAsync(user);
            if (!result.Succeeded)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, result.Errors.Select(e => e.Description)));
                return 1;
            }
            var token = await users.GenerateUserTokenAsync(user, InvitationTokenProvider.TokenName, "invitation");
            var configured = scope.ServiceProvider.GetRequiredService<IOptions<PlatformIdentityOptions>>().Value.PublicOrigin;
            var baseUrl = (parse.GetValue(origin) ?? (configured.Length > 0 ? configured : "http://127.0.0.1:5080")).TrimEnd('/');
            Console.WriteLine($"Kontot {user.Email} ({r}) är skapat.");
            Console.WriteLine("Välj lösenord via länken (giltig i 7 dagar):");
            Console.WriteLine($"  {baseUrl}/konto/aktivera?anvandare={Uri.EscapeDataString(user.Id)}&kod={Uri.EscapeDataString(token)}");
            return 0;
        });
        return command;
    }
}
