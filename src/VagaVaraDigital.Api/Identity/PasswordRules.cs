using System.Reflection;
using Microsoft.AspNetCore.Identity;
using VagaVaraDigital.Api.Identity.Store;

namespace VagaVaraDigital.Api.Identity;

/// <summary>
/// NIST SP 800-63B style: at least 12 characters (Identity's length rule), at most 256, no composition rules,
/// and not a common, expected or context-specific password (a list, a repeated pattern, the service's or
/// the user's own name).
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<PlatformUser>
{
    public const int MaxLength = 256;

    /// <summary>Our own list (Swedish and context-specific entries) and zxcvbn's ~43,000 most common passwords (MIT).</summary>
    static readonly string[] Lists = ["identity.common-passwords.txt", "identity.common-passwords.zxcvbn.txt"];

    static readonly HashSet<string> Common = Load();

    /// <summary>Entries without digits, 8 characters or more: a password that is one of them plus a short tail is common.</summary>
    static readonly string[] Words = Common.Where(c => c.Length >= 8 && !c.Any(char.IsDigit)).ToArray();

    /// <summary>How many entries the lists hold (after normalising).</summary>
    public static int Count => Common.Count;

    static HashSet<string> Load()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Lists)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The common password list {name} is not embedded.");
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0 && !line.StartsWith('#')) set.Add(Normalize(line));
            }
        }
        return set;
    }

    static string Normalize(string s) => new string(s.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();

    public Task<IdentityResult> ValidateAsync(UserManager<PlatformUser> manager, PlatformUser user, string? password)
    {
        password ??= "";
        if (password.Length > MaxLength)
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = $"Lösenordet får vara högst {MaxLength} tecken." }));
        }
        return Task.FromResult(IsCommon(password, user.Email)
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooCommon",
                Description = "Lösenordet är för vanligt eller lätt att gissa. Välj en längre fras som inte är känd.",
            })
            : IdentityResult.Success);
    }

    public static bool IsCommon(string password, string? email = null)
    {
        var p = Normalize(password);
        if (Common.Contains(p)) return true;
        // Common word + digits/punctuation ("lantmateriet2025!") counts as the word.
        var stem = p.TrimEnd("0123456789!?.#@*-_".ToCharArray());
        if (stem.Length >= 6 && Common.Contains(stem)) return true;
        if (Words.Any(c => p.Length - c.Length <= 4 && p.StartsWith(c, StringComparison.Ordinal))) return true;
        // A short unit repeated ("abcabcabcabc", "111111111111").
        for (var unit = 1; unit <= 4; unit++)
        {
            if (p.Length % unit == 0 && p.Length / unit >= 3 && Enumerable.Range(0, p.Length).All(i => p[i] == p[i % unit])) return true;
        }
        // Only the user's e-mail address or its name part.
        if (email is not null)
        {
            var local = Normalize(email.Split('@')[0]);
            if (p == Normalize(email) || (local.Length >= 4 && p.TrimEnd("0123456789!?.#@*-_".ToCharArray()) == local)) return true;
        }
        return false;
    }
}

/// <summary>Identity's messages in Swedish (the ones users can cause).</summary>
public sealed class SwedishIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"Lösenordet måste ha minst {length} tecken." };
    public override IdentityError InvalidToken() => new() { Code = nameof(InvalidToken), Description = "Länken är ogiltig eller har gått ut." };
    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = "Det finns redan ett konto med den e-postadressen." };
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = "Det finns redan ett konto med den e-postadressen." };
    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = "Ange en giltig e-postadress." };
    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = "Ange en giltig e-postadress." };
    public override IdentityError UserAlreadyHasPassword() => new() { Code = nameof(UserAlreadyHasPassword), Description = "Kontot har redan ett lösenord." };
    public override IdentityError LoginAlreadyAssociated() => new() { Code = nameof(LoginAlreadyAssociated), Description = "Inloggningen hör redan till ett annat konto." };
    public override IdentityError DefaultError() => new() { Code = nameof(DefaultError), Description = "Något gick fel. Försök igen." };
    public override IdentityError ConcurrencyFailure() => new() { Code = nameof(ConcurrencyFailure), Description = "Kontot ändrades samtidigt av någon annan. Försök igen." };
}
