using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Api.Features.Preferences;

/// <summary>
/// The signed-in person's own preferences, stored on their account (table <c>user_preferences</c>, migration 0600):
/// the interface language ("sv" or "en"), which the admin app applies after sign-in on any browser.
/// Any role; only ever one's own row (the user id comes from the session, never from the request).
/// </summary>
public static class PreferencesApi
{
    public static readonly string[] Languages = ["sv", "en"];

    public sealed record Preferences(string? Language);
    public sealed record PreferencesUpdate(string? Language);

    public static IEndpointRouteBuilder MapPreferencesEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/preferences").WithTags("Mina inställningar")
            .RequireAuthorization(p => p.RequireRole([.. Roles.All]));   // a person with an account; never a machine token
        group.MapGet("/", Get).WithName("GetMyPreferences").WithSummary("Mina inställningar (språk)");
        group.MapPut("/", Put).WithName("UpdateMyPreferences").WithSummary("Spara mitt språk (sv eller en) på kontot");
        return app;
    }

    static async Task<Ok<Preferences>> Get(Db db, CurrentUser user, CancellationToken ct)
    {
        await using var uow = await db.ReadGlobalAsync(ct);
        var language = await uow.QuerySingleOrDefaultAsync<string>("SELECT language FROM user_preferences WHERE user_id = @id", new { id = user.Id }, ct);
        return TypedResults.Ok(new Preferences(language));
    }

    static async Task<Results<Ok<Preferences>, ValidationProblem, ProblemHttpResult>> Put(PreferencesUpdate update, Db db, CurrentUser user, CancellationToken ct)
    {
        if (update.Language is null || !Languages.Contains(update.Language))
            return Problems.Validation(new Dictionary<string, string[]> { ["language"] = ["Välj svenska (sv) eller engelska (en)."] });
        await using var uow = await db.BeginGlobalAsync(ct);
        // Only a real account has preferences (an API client's token or a removed account has none).
        var saved = await uow.ExecuteAsync("""
            INSERT INTO user_preferences (user_id, language, updated_at)
            SELECT "Id", @language, now() FROM "AspNetUsers" WHERE "Id" = @id
            ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, updated_at = now()
            """, new { id = user.Id, language = update.Language }, ct);
        if (saved == 0) return Problems.NotFound("Kontot finns inte");
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new Preferences(update.Language));
    }
}
