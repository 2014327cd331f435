using System.Globalization;
using System.Net.Mail;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// E-mail rules of the invitation lists: trimmed as entered; compared in a normalised form (lower-cased, the
/// domain in Unicode so <c>xn--malm-hra.se</c> and <c>malmö.se</c> are one address); internationalised domains
/// accepted.
/// </summary>
public static class EmailAddress
{
    public const int MaxLength = 254;
    static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>The normalised form, or null when the value is not a valid address.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        if (trimmed.Length > MaxLength) return null;
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1) return null;
        var local = trimmed[..at];
        var domain = trimmed[(at + 1)..].TrimEnd('.');
        if (local.Length > 64 || local.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c > 0x7F)) return null;
        string ascii, unicode;
        try
        {
            ascii = Idn.GetAscii(domain);
            unicode = Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (!ascii.Contains('.') || ascii.Length > 253) return null;
        var asciiAddress = $"{local}@{ascii}";
        if (!MailAddress.TryCreate(asciiAddress, out var parsed) || parsed.Address != asciiAddress) return null;
        return $"{local.ToLowerInvariant()}@{unicode.ToLowerInvariant()}";
    }

    /// <summary>The address as entered, trimmed (what is stored in <c>email</c>).</summary>
    public static string Clean(string value) => value.Trim();
}
