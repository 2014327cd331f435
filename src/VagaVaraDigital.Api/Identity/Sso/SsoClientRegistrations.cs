using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenIddict.Client;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace VagaVaraDigital.Api.Identity.Sso;

/// <summary>
/// Feeds OpenIddict's client with one registration per enabled municipal SSO provider (the maintainer's
/// recommendation in openiddict-core #2192/#2273): <see cref="IConfigureOptions{TOptions}"/> reading the
/// <see cref="SsoCatalog"/>, and a change token that rebuilds the options when a CountyAdmin edits a provider.
/// Each provider has its own redirect URI (<c>/signin-oidc/{registration id}</c>), a defence against mix-up.
/// </summary>
public sealed class SsoClientRegistrations(SsoCatalog catalog, IDataProtectionProvider dataProtection, ILogger<SsoClientRegistrations> logger)
    : IConfigureOptions<OpenIddictClientOptions>
{
    public const string SecretPurpose = "vvd.sso-client-secret.v1";

    public void Configure(OpenIddictClientOptions options)
    {
        // Only the snapshot: options configuration must not call the database or block (SsoCatalog).
        var providers = catalog.Current;
        var protector = dataProtection.CreateProtector(SecretPurpose);
        foreach (var provider in providers)
        {
            string? secret = null;
            try
            {
                secret = provider.ProtectedClientSecret is null ? null : protector.Unprotect(provider.ProtectedClientSecret);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                logger.LogError(e, "The client secret of SSO provider {ProviderId} cannot be read; the provider is skipped", provider.Id);
                continue;
            }
            var redirect = new Uri(provider.RedirectPath, UriKind.Relative);
            options.RedirectionEndpointUris.Add(redirect);
            options.Registrations.Add(new OpenIddictClientRegistration
            {
                RegistrationId = provider.RegistrationId,
                ProviderName = provider.RegistrationId,
                ProviderDisplayName = provider.DisplayName,
                Issuer = new Uri(provider.Issuer, UriKind.Absolute),
                ClientId = provider.ClientId,
                ClientSecret = secret,
                RedirectUri = redirect,
                Scopes = { Scopes.OpenId, Scopes.Email, Scopes.Profile },
            });
        }
    }

    public sealed class ChangeTokenSource(SsoCatalog catalog) : IOptionsChangeTokenSource<OpenIddictClientOptions>
    {
        public string? Name => Options.DefaultName;

        public IChangeToken GetChangeToken() => catalog.ChangeToken();
    }
}
