using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Preferences;

/// <summary>The interface language is remembered on the account (any browser), only for oneself, only sv or en.</summary>
public sealed class PreferencesApiTests : ApiTest
{
    /// <summary>An account whose id is the one <see cref="PlatformFactory.ClientAs"/> signs in with.</summary>
    static async Task CreateAccountAsync(string role, string? tenantId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
        var email = $"{role.ToLowerInvariant()}{tenantId}@lansstyrelsen.se";
        var result = await users.CreateAsync(new PlatformUser
        {
            Id = $"test-{role}-{tenantId}", UserName = email, Email = email, Role = role, TenantId = tenantId, CreatedAt = DateTime.UtcNow,
        });
        Assert.That(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Description)));
    }

    [Test]
    public async Task A_person_stores_their_language_and_gets_it_back_in_any_session()
    {
        await CreateAccountAsync(Roles.CountyEditor, "03");
        await CreateAccountAsync(Roles.CountyEditor, "01");
        using var editor = App.ClientAs(Roles.CountyEditor, "03", tenantSlug: "uppsala");
        Assert.That((await GetJsonAsync(editor, "api/me/preferences")).GetProperty("language").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));

        using (var saved = await editor.PutAsJsonAsync("api/me/preferences", new { language = "en" }))
            Assert.That((int)saved.StatusCode, Is.EqualTo(200), await saved.Content.ReadAsStringAsync());

        // Another client (another browser) of the same person, at the root as well as under the county's prefix.
        using var again = App.ClientAs(Roles.CountyEditor, "03");
        Assert.That((await GetJsonAsync(again, "api/me/preferences")).GetProperty("language").GetString(), Is.EqualTo("en"));
        // Someone else is not affected.
        using var other = App.ClientAs(Roles.CountyEditor, "01", tenantSlug: "stockholm");
        Assert.That((await GetJsonAsync(other, "api/me/preferences")).GetProperty("language").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));

        using (var back = await editor.PutAsJsonAsync("api/me/preferences", new { language = "sv" }))
            Assert.That((int)back.StatusCode, Is.EqualTo(200));
        Assert.That((await GetJsonAsync(again, "api/me/preferences")).GetProperty("language").GetString(), Is.EqualTo("sv"));
    }

    [Test]
    public async Task Only_Swedish_or_English_and_nothing_changes_on_a_mistake()
    {
        await CreateAccountAsync(Roles.SystemAdmin, null);
        using var admin = App.ClientAs(Roles.SystemAdmin);
        using (var saved = await admin.PutAsJsonAsync("api/me/preferences", new { language = "en" })) Assert.That((int)saved.StatusCode, Is.EqualTo(200));
        using (var wrong = await admin.PutAsJsonAsync("api/me/preferences", new { language = "de" }))
        {
            var problem = await AssertProblemAsync(wrong, 400);
            Assert.That(problem.GetProperty("errors").GetProperty("language")[0].GetString(), Does.Contain("svenska"));
        }
        Assert.That((await GetJsonAsync(admin, "api/me/preferences")).GetProperty("language").GetString(), Is.EqualTo("en"));
    }

    [Test]
    public async Task Needs_a_signed_in_account()
    {
        using var anonymous = App.ClientAs(null);
        using (var get = await anonymous.GetAsync("api/me/preferences")) Assert.That((int)get.StatusCode, Is.EqualTo(401));
        // An identity without an account (e.g. a machine token) has nothing to store.
        using var ghost = App.ClientAs(Roles.NationalViewer);
        using var put = await ghost.PutAsJsonAsync("api/me/preferences", new { language = "en" });
        await AssertProblemAsync(put, 404);
    }
}
