using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace VagaVaraDigital.Api.Hosting;

/// <summary>
/// Who may tell the app the client's address and scheme (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>): the ingress.
/// Addresses and CIDR networks from configuration, plus loopback as ASP.NET Core trusts it by default; nobody else.
/// An entry may list several, separated by commas.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "ForwardedHeaders";

    public IReadOnlyList<string> KnownProxies { get; set; } = [];
    public IReadOnlyList<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies' entries are taken from the right of X-Forwarded-For (1: the ingress is the edge).</summary>
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>
/// Forwarded headers from trusted proxies only, first in the pipeline: behind a TLS-terminating ingress the request is
/// https (OpenID Connect's transport requirement, links in e-mails, Secure cookies) and its remote address is the
/// client's (the sign-in rate limit). From anyone else the headers change nothing. ADR 0071.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TrustedProxyOptions.Section);
        services.AddOptions<TrustedProxyOptions>()
            .Configure(o =>
            {
                o.KnownProxies = Entries(section.GetSection(nameof(TrustedProxyOptions.KnownProxies)));
                o.KnownNetworks = Entries(section.GetSection(nameof(TrustedProxyOptions.KnownNetworks)));
                o.ForwardLimit = section.GetValue(nameof(TrustedProxyOptions.ForwardLimit), 1);
            })
            .Validate(o => o.ForwardLimit is >= 1 and <= 10, "ForwardedHeaders:ForwardLimit är antalet proxyer framför appen, 1–10.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustedProxyOptions>, EntriesCheck>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((o, trusted) =>
        {
            // The defaults stay: loopback (127.0.0.0/8, ::1), e.g. a sidecar in the same pod.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = trusted.Value.ForwardLimit;
            foreach (var proxy in trusted.Value.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in trusted.Value.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) => app.UseForwardedHeaders();

    /// <summary>An array (<c>…__KnownNetworks__0</c>, <c>__1</c>) or one value; either may hold a comma-separated list.</summary>
    static string[] Entries(IConfigurationSection section) =>
        (section.Value is { Length: > 0 } single ? [single] : section.GetChildren().Select(c => c.Value ?? ""))
        .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .ToArray();

    sealed class EntriesCheck : IValidateOptions<TrustedProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
        {
            var errors = new List<string>();
            foreach (var proxy in options.KnownProxies)
            {
                if (!IPAddress.TryParse(proxy, out var parsed) || !string.Equals(parsed.ToString(), proxy, StringComparison.OrdinalIgnoreCase))
                    errors.Add($"ForwardedHeaders:KnownProxies: \"{proxy}\" är ingen IP-adress (t.ex. 10.0.0.12).");
            }
            foreach (var network in options.KnownNetworks)
            {
                // Only the canonical form: IPNetwork also reads "10.42/16" (legacy short addresses) and masks "10.42.7.0/16".
                if (!System.Net.IPNetwork.TryParse(network, out var parsed) || !string.Equals(parsed.ToString(), network, StringComparison.OrdinalIgnoreCase))
                    errors.Add($"ForwardedHeaders:KnownNetworks: \"{network}\" är inget nät i CIDR-form med nätets första adress (t.ex. 10.42.0.0/16"
                        + (parsed is { PrefixLength: > 0 } ? $"; menade du {parsed}?)." : ")."));
                else if (parsed.PrefixLength == 0)
                    errors.Add($"ForwardedHeaders:KnownNetworks: \"{network}\" litar på alla adresser; ange ingressens nät.");
            }
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
