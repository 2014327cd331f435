using System.ComponentModel.DataAnnotations;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>The e-mail pipeline's settings (section <c>Email</c>). Every one has a working default for ./run.sh.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The platform's sender address; the display name is the county's sender name.</summary>
    [Required, EmailAddress]
    public string FromAddress { get; set; } = "noreply@vagavaradigital.se";

    /// <summary>SMTP server; empty = the embedded transport: each message becomes an .eml file in <see cref="PickupDirectory"/>.</summary>
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary><c>starttls</c> (default: required), <c>ssl</c> (implicit TLS, port 465), <c>auto</c>, or <c>none</c> (loopback tests only).</summary>
    [RegularExpression("^(starttls|ssl|auto|none)$")]
    public string SmtpSecurity { get; set; } = "starttls";

    /// <summary>
    /// SHA-256 fingerprint (hex, colons allowed) of a server certificate to accept although no trusted CA signed it or its
    /// name differs (an internal relay with its own certificate). Any other certificate must be valid as usual.
    /// </summary>
    [RegularExpression("^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$", ErrorMessage = "Email:SmtpTrustedCertificate är ett SHA-256-fingeravtryck (64 hexadecimala tecken, kolon tillåtna).")]
    public string? SmtpTrustedCertificate { get; set; }

    public string? SmtpUsername { get; set; }
    public string? SmtpPassword { get; set; }

    /// <summary>Where the embedded transport writes .eml files; default <c>$VVD_DATA_DIR/mail</c> (or ./.data/mail).</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>Run the sender in processes that run jobs (see Jobs:Role / Jobs:Server).</summary>
    public bool SenderEnabled { get; set; } = true;

    /// <summary>Parallel SMTP connections per process (each sends one message at a time).</summary>
    [Range(1, 64)]
    public int SenderConcurrency { get; set; } = 4;

    /// <summary>Messages leased per claim per connection.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>How often an idle sender looks for due messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a leased message is reserved for its sender; a sender that dies frees it after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a temporarily failing message is given up (status failed).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; each further one is four times longer, at most six hours.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>SMTP timeout per command.</summary>
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string FromDomain => FromAddress[(FromAddress.IndexOf('@') + 1)..];

    public string ResolvedPickupDirectory => PickupDirectory is { Length: > 0 } p ? p
        : Path.Combine(Environment.GetEnvironmentVariable("VVD_DATA_DIR") is { Length: > 0 } d ? d : Path.Combine(Environment.CurrentDirectory, ".data"), "mail");

    public TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(6).Ticks, (long)(RetryBaseDelay.Ticks * Math.Pow(4, Math.Max(0, attempts - 1)))));
}
