namespace VagaVaraDigital.Api.Tenancy;

public sealed class TenancyOptions
{
    public const string Section = "Tenancy";

    /// <summary>
    /// Production host strategy: a request to <c>{slug}.{BaseDomain}</c> belongs to that tenant.
    /// Empty (the embedded default) turns the host strategy off.
    /// </summary>
    public string? BaseDomain { get; set; }

    /// <summary>The path prefix strategy: <c>/{PathPrefix}/{slug}/…</c> moves into PathBase.</summary>
    public string PathPrefix { get; set; } = "t";

    /// <summary>How long the tenant list is cached before it is read again (edits invalidate at once).</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
