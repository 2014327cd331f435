using System.Buffers.Text;
using System.Security.Cryptography;

namespace VagaVaraDigital.Api.Features.Invitations;

/// <summary>Personal tokens: 192 random bits from the OS CSPRNG, base64url (32 characters). ADR 0041.</summary>
public static class InvitationTokens
{
    public const int Bytes = 24;
    public const int Length = 32;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>Cheap shape check before touching the database: malformed tokens never reach SQL.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: >= 22 and <= 64 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
