using Microsoft.Extensions.Options;

namespace VagaVaraDigital.Api.Tenancy;

/// <summary>Finds a tenant identifier (a slug) in a request. Lower <see cref="Priority"/> runs first.</summary>
public interface ITenantResolutionStrategy
{
    int Priority { get; }
    string Name { get; }
    TenantCandidate? Identify(HttpContext context);
}

/// <summary>A slug found by a strategy; <see cref="Apply"/> runs once the tenant is known to exist.</summary>
public sealed record TenantCandidate(string Slug, string Strategy, Action<HttpContext>? Apply = null);

/// <summary><c>{slug}.{BaseDomain}</c> — production.</summary>
public sealed class HostStrategy(IOptions<TenancyOptions> options) : ITenantResolutionStrategy
{
    public int Priority => 100;
    public string Name => "host";

    public TenantCandidate? Identify(HttpContext context)
    {
        var baseDomain = options.Value.BaseDomain?.Trim('.');
        if (string.IsNullOrEmpty(baseDomain)) return null;
        var host = context.Request.Host.Host;
        var suffix = "." + baseDomain;
        if (!host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return null;
        var label = host[..^suffix.Length];
        return label.Length == 0 || label.Contains('.') ? null : new TenantCandidate(label.ToLowerInvariant(), Name);
    }
}

/// <summary><c>/t/{slug}/…</c> — one machine. The prefix moves into PathBase, so routes stay the same.</summary>
public sealed class PathStrategy(IOptions<TenancyOptions> options) : ITenantResolutionStrategy
{
    public int Priority => 200;
    public string Name => "path";

    public TenantCandidate? Identify(HttpContext context)
    {
        var prefix = "/" + options.Value.PathPrefix.Trim('/');
        var path = context.Request.Path;
        if (!path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out var rest)) return null;
        var value = rest.Value ?? "";
        if (value.Length < 2) return null;
        var end = value.IndexOf('/', 1);
        var slug = end < 0 ? value[1..] : value[1..end];
        var remaining = end < 0 ? "/" : value[end..];
        var consumed = prefix + "/" + slug;
        return new TenantCandidate(slug.ToLowerInvariant(), Name, ctx =>
        {
            ctx.Request.PathBase = ctx.Request.PathBase.Add(consumed);
            ctx.Request.Path = remaining;
        });
    }
}
