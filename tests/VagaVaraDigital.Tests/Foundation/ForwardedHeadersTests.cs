using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Tests.Identity;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Foundation;

/// <summary>
/// Behind a TLS-terminating ingress (ADR 0071): X-Forwarded-Proto and X-Forwarded-For count only from the configured
/// trusted networks. The test host has no network, so a test-only first middleware sets the connection's remote address
/// from <see cref="RemoteAddressHeader"/> — what Kestrel would see as the ingress's (or anyone's) address.
/// </summary>
public sealed class ForwardedHeadersTests : ApiTest
{
    const string RemoteAddressHeader = "X-Test-Remote-Address";
    const string Ingress = "10.42.7.19";       // in the trusted pod network below
    const string Stranger = "192.0.2.50";      // anyone else

    static PlatformFactory BehindIngress(Action<IWebHostBuilder>? more = null,
        string networksKey = "ForwardedHeaders:KnownNetworks:0", string networks = "10.42.0.0/16") => new(Database, b =>
    {
        // No fixed issuer: the issuer follows the request, as it does when Identity__Issuer is unset.
        b.UseSetting("Identity:Issuer", "");
        b.UseSetting(networksKey, networks);
        b.ConfigureServices(s => s.AddSingleton<IStartupFilter, RemoteAddressFromHeader>());
        more?.Invoke(b);
    });

    static HttpClient PlainHttp(WebApplicationFactory<Program> app, string remote)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions
        { BaseAddress = new Uri("http://localhost/"), AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add(RemoteAddressHeader, remote);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    [Test]
    public async Task Https_forwarded_by_the_trusted_ingress_gives_https_OpenID_Connect_links_and_a_working_token_endpoint()
    {
        await using var app = BehindIngress();
        var (clientId, secret) = await OidcServerTests.RegisterMachineClientAsync("reach.read");
        var http = PlainHttp(app, Ingress);

        using var discovery = await http.GetAsync(".well-known/openid-configuration");
        var body = await discovery.Content.ReadAsStringAsync();
        Assert.That(discovery.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("issuer").GetString(), Is.EqualTo("https://localhost/"));
            Assert.That(json.GetProperty("token_endpoint").GetString(), Is.EqualTo("https://localhost/connect/token"));
            Assert.That(json.GetProperty("jwks_uri").GetString(), Does.StartWith("https://localhost/"));
        });

        // The request itself is http between ingress and pod: OpenIddict's HTTPS requirement (outside Development) is met.
        var token = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = "connect/token", ClientId = clientId, ClientSecret = secret, Scope = "reach.read",
        });
        Assert.That(token.IsError, Is.False, token.Error + " " + token.ErrorDescription);
        http.SetBearerToken(token.AccessToken!);
        using var reach = await http.GetAsync("api/national/reach");
        Assert.That(reach.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reach.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_same_header_from_an_untrusted_address_changes_nothing()
    {
        await using var app = BehindIngress();
        var http = PlainHttp(app, Stranger);

        using var discovery = await http.GetAsync(".well-known/openid-configuration");
        var body = await discovery.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(discovery.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "still plain http: the OIDC server refuses it");
            Assert.That(body, Does.Contain("HTTPS").And.Not.Contain("https://localhost/connect"));
        });
    }

    [Test]
    public async Task The_client_address_comes_from_X_Forwarded_For_only_through_the_trusted_ingress()
    {
        await using var app = BehindIngress(b =>
        {
            b.UseSetting("Identity:SignInPermitLimit", "2");
            b.UseSetting("Identity:SignInWindow", "01:00:00");
        });
        async Task<int[]> SignInsAsync(string remote, string forwardedFor)
        {
            var browser = new Browser(app);
            browser.Client.DefaultRequestHeaders.Add(RemoteAddressHeader, remote);
            browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            await browser.SessionAsync();
            var statuses = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                using var r = await browser.PostAsync("/api/auth/sign-in", new { email = "ingen@lansstyrelsen.se", password = "fel lösenord men långt" });
                statuses.Add((int)r.StatusCode);
            }
            return statuses.ToArray();
        }

        // Through the ingress two clients have a limit each; a stranger cannot pose as a new client with the header.
        Assert.That(await SignInsAsync(Ingress, "198.51.100.1"), Is.EqualTo(new[] { 401, 401, 429 }));
        Assert.That(await SignInsAsync(Ingress, "198.51.100.2"), Is.EqualTo(new[] { 401, 401, 429 }));
        Assert.That(await SignInsAsync(Stranger, "198.51.100.3"), Is.EqualTo(new[] { 401, 401, 429 }));
        Assert.That(await SignInsAsync(Stranger, "198.51.100.4"), Is.EqualTo(new[] { 429, 429, 429 }));
    }

    [TestCase("KnownNetworks", "10.42.0/16", "10.42.0/16")]
    [TestCase("KnownNetworks", "10.42.7.0/16", "10.42.7.0/16")]
    [TestCase("KnownNetworks", "0.0.0.0/0", "litar på alla")]
    [TestCase("KnownProxies", "ingress.example", "ingress.example")]
    [TestCase("KnownProxies", "10.42", "10.42")]
    [TestCase("ForwardLimit", "0", "ForwardLimit")]
    public void An_invalid_entry_is_refused_at_start_with_a_clear_message(string key, string value, string expected)
    {
        using var app = new PlatformFactory(Database, b => b.UseSetting($"ForwardedHeaders:{key}", value));
        var e = Assert.Throws<OptionsValidationException>(() => app.CreateClient());
        Assert.That(e!.Message, Does.Contain(expected).And.Contain("ForwardedHeaders:"));
    }

    [Test]
    public async Task A_comma_separated_value_lists_several_networks()
    {
        await using var app = BehindIngress(networksKey: "ForwardedHeaders:KnownNetworks", networks: "172.16.0.0/12, 10.42.0.0/16");
        using var discovery = await PlainHttp(app, Ingress).GetAsync(".well-known/openid-configuration");
        Assert.That(discovery.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>The chart gives every pod the issuer and public origin of its host and the ingress's networks (text of the templates: no helm here).</summary>
    [Test]
    public void The_chart_sets_issuer_public_origin_and_trusted_networks_from_its_values()
    {
        var chart = Path.Combine(ImageStartTests.RepositoryRoot(), "charts", "vagavaradigital");
        var helpers = File.ReadAllText(Path.Combine(chart, "templates", "_helpers.tpl"));
        var values = File.ReadAllText(Path.Combine(chart, "values.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(helpers, Does.Contain("- name: Identity__Issuer\n  value: \"https://{{ .Values.baseDomain }}/\""));
            Assert.That(helpers, Does.Contain("- name: Identity__PublicOrigin\n  value: \"https://{{ .Values.baseDomain }}\""));
            Assert.That(helpers, Does.Contain("{{- range $i, $network := .Values.ingress.trustedNetworks }}\n- name: ForwardedHeaders__KnownNetworks__{{ $i }}"));
            Assert.That(helpers, Does.Contain("- name: ForwardedHeaders__ForwardLimit\n  value: {{ .Values.ingress.forwardLimit | quote }}"));
            Assert.That(values, Does.Contain("  trustedNetworks: []").And.Contain("  forwardLimit: 1"));
        });
    }

    sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers[RemoteAddressHeader] is [{ } address]) context.Connection.RemoteIpAddress = IPAddress.Parse(address);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
