using System.ComponentModel.DataAnnotations;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>Settings of the invitation lists (section <c>Invitees</c>).</summary>
public sealed class InviteeOptions
{
    public const string Section = "Invitees";

    /// <summary>The development default of <see cref="PersonKeySecret"/>; refused in Production.</summary>
    public const string DevelopmentPersonKeySecret = "vvd-development-person-key-secret-not-for-production";

    /// <summary>
    /// The platform-wide secret of the person key (HMAC-SHA256 of the normalised e-mail, ADR 0020). The same in
    /// every tenant and instance; changing it splits every person in reach reporting, so set it once.
    /// </summary>
    [Required, MinLength(32)]
    public string PersonKeySecret { get; set; } = DevelopmentPersonKeySecret;

    /// <summary>Largest import, in data rows.</summary>
    [Range(1, 1_000_000)]
    public int MaxImportRows { get; set; } = 100_000;

    /// <summary>Largest import file, in bytes.</summary>
    [Range(1024, 200 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 20 * 1024 * 1024;
}
