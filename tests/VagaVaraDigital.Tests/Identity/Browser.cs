using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>
/// What the SPA does, over HTTPS with a cookie jar: fetch the session (and its antiforgery token), send the token
/// in X-XSRF-TOKEN on every unsafe request. No test identity header: these are the real flows.
/// </summary>
public sealed class Browser
{
    public Browser(WebApplicationFactory<Program> app, string path = "")
    {
        Client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost/" + path),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
    }

    public HttpClient Client { get; }

    public string? AntiforgeryToken { get; private set; }

    public async Task<JsonElement> SessionAsync()
    {
        using var response = await Client.GetAsync("/api/auth/session");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        UseToken(json.GetProperty("antiforgeryToken").GetString());
        return json;
    }

    public void UseToken(string? token)
    {
        AntiforgeryToken = token;
        Client.DefaultRequestHeaders.Remove(PlatformIdentity.AntiforgeryHeaderName);
        if (token is not null) Client.DefaultRequestHeaders.Add(PlatformIdentity.AntiforgeryHeaderName, token);
    }

    public async Task<HttpResponseMessage> PostAsync(string url, object body)
    {
        var response = await Client.PostAsJsonAsync(url, body);
        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var text = await response.Content.ReadAsStringAsync();
            if (text.Length > 0 && JsonDocument.Parse(text).RootElement is { ValueKind: JsonValueKind.Object } json
                && json.TryGetProperty("antiforgeryToken", out var token))
            {
                UseToken(token.GetString());
            }
        }
        return response;
    }

    /// <summary>E-mail and password; returns the status ("signed_in", "mfa_required", "mfa_enrolment_required").</summary>
    public async Task<string> SignInAsync(string email, string password)
    {
        if (AntiforgeryToken is null) await SessionAsync();
        using var response = await PostAsync("/api/auth/sign-in", new { email, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
    }
}

/// <summary>Accounts for the tests, made with the platform's own UserManager.</summary>
public static class TestUsers
{
    public const string Password = "korrekt häst batteri häftklammer";

    public static async Task<PlatformUser> CreateAsync(WebApplicationFactory<Program> app, string email, string role, string? tenant = null,
        string? municipality = null, string? password = Password, bool isDemo = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
        var user = new PlatformUser
        {
            UserName = email, Email = email, EmailConfirmed = true, Role = role, TenantId = tenant, MunicipalityCode = municipality,
            IsDemo = isDemo, CreatedAt = DateTime.UtcNow,
        };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        Assert.That(result.Succeeded, Is.True, string.Join(", ", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>A TOTP code for the key, one time step ahead (the server accepts adjacent steps; avoids reuse).</summary>
    public static string Totp(string sharedKey, int stepsAhead = 0) =>
        new Totp(Base32Encoding.ToBytes(sharedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()))
            .ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));

    /// <summary>Signs in through enrolment; returns the shared key and the recovery codes.</summary>
    public static async Task<(string Key, string[] RecoveryCodes)> EnrolAsync(Browser browser, string email, string password = Password)
    {
        Assert.That(await browser.SignInAsync(email, password), Is.EqualTo("mfa_enrolment_required"));
        using var start = await browser.PostAsync("/api/auth/mfa/enrolment", new { });
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.OK), await start.Content.ReadAsStringAsync());
        var key = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sharedKey").GetString()!;
        using var confirm = await browser.PostAsync("/api/auth/mfa/enrolment/confirm", new { code = Totp(key) });
        Assert.That(confirm.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirm.Content.ReadAsStringAsync());
        var codes = (await confirm.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return (key, codes);
    }
}
