using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;

namespace VagaVaraDigital.Cli;

public static partial class DemoData
{
    /// <summary>One demo account per role (Uppsala for the county roles), all with the same password.</summary>
    public static readonly IReadOnlyList<(string Role, string Email, string? Tenant, string? Municipality, string Name)> DemoUsers =
    [
        (Roles.SystemAdmin, "admin@demo.vagavaradigital.se", null, null, "Demo Systemadministratör"),
        (Roles.NationalViewer, "nationell@demo.vagavaradigital.se", null, null, "Demo Lantmäteriet"),
        (Roles.CountyAdmin, "lansadmin.uppsala@demo.vagavaradigital.se", "03", null, "Demo Länsadministratör"),
        (Roles.CountyEditor, "handlaggare.uppsala@demo.vagavaradigital.se", "03", null, "Demo Handläggare"),
        (Roles.MunicipalUser, "kommun.uppsala@demo.vagavaradigital.se", "03", "0380", "Demo Uppsala kommun"),
    ];

    /// <summary>
    /// Creates (or resets) the demo accounts and prints how to sign in. The password is VVD_DEMO_PASSWORD, else a
    /// generated one. Demo accounts skip MFA in Development only (MfaPolicy).
    /// </summary>
    internal static async Task DemoUsersStep(IServiceProvider services, CancellationToken ct)
    {
        var users = services.GetRequiredService<UserManager<PlatformUser>>();
        var fromEnv = Environment.GetEnvironmentVariable("VVD_DEMO_PASSWORD");
        var password = string.IsNullOrEmpty(fromEnv) ? GeneratePassword() : fromEnv;
        foreach (var (role, email, tenant, municipality, name) in DemoUsers)
        {
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new PlatformUser
                {
                    UserName = email, Email = email, EmailConfirmed = true, Role = role, TenantId = tenant, MunicipalityCode = municipality,
                    DisplayName = name, IsDemo = true, CreatedAt = DateTime.UtcNow,
                };
                Check(await users.CreateAsync(user, password));
            }
            else
            {
                Check(await users.RemovePasswordAsync(user));
                Check(await users.AddPasswordAsync(user, password));
            }
        }
        Console.WriteLine($"Inloggning (demo): lösenord {password}{(string.IsNullOrEmpty(fromEnv) ? "  (genererat; sätt VVD_DEMO_PASSWORD för ett fast)" : "")}");
        Console.WriteLine("  MFA krävs inte för demoanvändare i Development; i övrigt krävs TOTP för SystemAdmin, NationalViewer och CountyAdmin.");
        foreach (var (role, email, tenant, _, _) in DemoUsers)
        {
            Console.WriteLine($"  {role,-15} {email}{(tenant is null ? "" : "  (Uppsala län)")}");
        }
    }

    static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Demoanvändare: " + string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(20, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (i is 5 or 10 or 15) ? '-' : alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }
}
