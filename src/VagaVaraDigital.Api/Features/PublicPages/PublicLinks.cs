using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.PublicPages;

/// <summary>Where the public pages live, for links in e-mails (absolute).</summary>
public sealed class PublicLinksOptions
{
    public const string Section = "PublicLinks";

    /// <summary>
    /// The platform's public address without the tenant (path mode): links become
    /// <c>{BaseUrl}/t/{slug}/r/{token}</c>. Ignored when <c>Tenancy:BaseDomain</c> is set: then
    /// <c>https://{slug}.{BaseDomain}/r/{token}</c>.
    /// </summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:5080";
}

public sealed class PublicLinks(IOptions<PublicLinksOptions> options, IOptions<TenancyOptions> tenancy)
{
    public string TenantBase(string slug) => string.IsNullOrWhiteSpace(tenancy.Value.BaseDomain)
        ? $"{options.Value.BaseUrl.TrimEnd('/')}/{tenancy.Value.PathPrefix.Trim('/')}/{slug}"
        : $"https://{slug}.{tenancy.Value.BaseDomain}";

    public string Rsvp(string slug, string token) => $"{TenantBase(slug)}/r/{token}";
    public string Join(string slug, string token) => $"{TenantBase(slug)}/j/{token}";
    public string PersonalCalendar(string slug, string token) => $"{TenantBase(slug)}/r/{token}/kalender.ics";
    public string Feed(string slug) => $"{TenantBase(slug)}/kalender.ics";
}
