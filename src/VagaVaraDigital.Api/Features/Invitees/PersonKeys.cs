using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// The pseudonymous person key (ADR 0020): HMAC-SHA256 of the normalised e-mail under the platform secret,
/// lower-case hex. The same address gives the same key in every tenant (so reach counts a person once
/// nationally), the key outlives erasure, and without the secret it cannot be recomputed from guessed addresses.
/// </summary>
public sealed class PersonKeys(IOptions<InviteeOptions> options)
{
    readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.PersonKeySecret);

    /// <param name="normalizedEmail">The result of <see cref="EmailAddress.Normalize"/>.</param>
    public string For(string normalizedEmail) => Compute(_secret, normalizedEmail);

    public static string Compute(byte[] secret, string normalizedEmail) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(normalizedEmail)));
}
