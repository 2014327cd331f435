using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Attendance;
using VagaVaraDigital.Api.Features.Invitations;
using VagaVaraDigital.Api.Features.Webcasts;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Tenancy;
using static VagaVaraDigital.Api.Features.PublicPages.PublicHtml;

namespace VagaVaraDigital.Api.Features.PublicPages;

/// <summary>
/// The invitee's pages, no sign-in, on the tenant's path or host: the RSVP page <c>/r/{token}</c> (answer,
/// change the answer until the start, personal .ics), the tracked join link <c>/j/{token}</c>, the tenant's
/// public calendar feed <c>/kalender.ics</c> and the shared stylesheet. The same RSVP operations are JSON under
/// <c>/api/public/…</c> for the SPA. Every unknown, malformed, expired or other-tenant token gets the same 404.
/// </summary>
public static class PublicPagesApi
{
    /// <summary>The tracked join link opens this long before the start and closes at the end.</summary>
    public static readonly TimeSpan JoinOpensBefore = TimeSpan.FromMinutes(30);

    const string FormPurpose = "vvd.public.rsvp-form.v1";
    static readonly TimeSpan FormLifetime = TimeSpan.FromDays(2);

    public sealed record PublicWebcast(Guid Id, string Title, string Description, DateTime StartsAt, string StartsAtLocal,
        string StartsAtText, string StartsAtTextEn, int DurationMinutes, string Platform, string Status, string? RecordingUrl);

    public sealed record PublicInvitation(string Tenant, string TenantName, PublicWebcast Webcast, string Status, bool CanChangeAnswer,
        string CalendarUrl, string JoinUrl, DateTime JoinOpensAt);

    public sealed record RsvpAnswer(string? Answer);

    public sealed record RsvpAnswerResult(string Result, PublicInvitation Invitation);

    public static IEndpointRouteBuilder MapPublicPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(StylesheetPath, () => TypedResults.Text(Stylesheet, "text/css; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();

        // HTML pages: not marked tenant-scoped, so that an address without a tenant still gets the friendly 404 page.
        var pages = app.MapGroup("").AllowAnonymous().ExcludeFromDescription().AddEndpointFilter(Private);
        pages.MapGet("/r/{token}", RsvpPage);
        pages.MapPost("/r/{token}", RsvpPost).DisableAntiforgery();
        pages.MapGet("/r/{token}/kalender.ics", PersonalCalendar);
        pages.MapGet("/j/{token}", Join);
        pages.MapGet("/kalender.ics", Feed);

        var api = app.MapGroup("/api/public").WithTags("Public").RequireTenant().AllowAnonymous().AddEndpointFilter(Private);
        api.MapGet("/rsvp/{token}", GetInvitation).WithName("GetPublicInvitation").WithSummary("Inbjudan bakom en personlig länk");
        api.MapPost("/rsvp/{token}", PostAnswer).WithName("AnswerPublicInvitation").WithSummary("Svara: accept eller decline");
        api.MapGet("/webcasts", ListScheduled).WithName("ListPublicWebcasts").WithSummary("Länets planerade webbsändningar");
        return app;
    }

    /// <summary>Personal pages and answers: never stored by browsers or proxies, never indexed.</summary>
    static async ValueTask<object?> Private(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        return await next(context);
    }

    // ---------------------------------------------------------------- HTML

    static async Task<ContentHttpResult> RsvpPage(string token, HttpContext http, Db db, Rsvp rsvp, ITenantContextAccessor tenant,
        IDataProtectionProvider protection, TimeProvider time, string? klart, CancellationToken ct)
    {
        if (tenant.Tenant is not { } t) return NotFound(null);
        await using var uow = await db.BeginAsync(ct);
        var view = await rsvp.FindAsync(uow, token, ct);
        if (view is null) return NotFound(t.Name);
        return RenderRsvp(http, t, view, time.GetUtcNow().UtcDateTime, ProtectForm(protection, view.Token), klart);
    }

    static async Task<IResult> RsvpPost(string token, HttpContext http, Db db, Rsvp rsvp, ITenantContextAccessor tenant,
        IDataProtectionProvider protection, TimeProvider time, CancellationToken ct)
    {
        if (tenant.Tenant is not { } t) return NotFound(null);
        if (!http.Request.HasFormContentType) return NotFound(t.Name);
        var form = await http.Request.ReadFormAsync(ct);
        await using var uow = await db.BeginAsync(ct);
        var view = await rsvp.FindAsync(uow, token, ct);
        if (view is null) return NotFound(t.Name);

        // CSRF defence for a page without a session (ADR 0044): the browser must not call it cross-site, and the
        // form must carry a recent, server-signed proof that it was rendered for this very token.
        if (!SameOrigin(http) || !ValidFormProof(protection, form["proof"].ToString(), view.Token))
        {
            return RenderRsvp(http, t, view, time.GetUtcNow().UtcDateTime, ProtectForm(protection, view.Token), "stale", 400);
        }
        var answer = form["answer"].ToString() switch { "accept" => Rsvp.Answer.Accept, "decline" => Rsvp.Answer.Decline, _ => (Rsvp.Answer?)null };
        if (answer is null)
            return RenderRsvp(http, t, view, time.GetUtcNow().UtcDateTime, ProtectForm(protection, view.Token), "invalid", 400);
        var (result, _) = await rsvp.AnswerAsync(uow, token, answer.Value, t.Slug, ct);
        await uow.CommitAsync(ct);
        // Post/redirect/get: a reload does not post again, and the result is announced on the page.
        var done = result switch
        {
            Rsvp.Result.Accepted => "accepted", Rsvp.Result.Waitlisted => "waitlisted", Rsvp.Result.Declined => "declined",
            Rsvp.Result.Closed => "closed", _ => "unchanged",
        };
        return new SeeOther($"{http.Request.PathBase}/r/{Uri.EscapeDataString(token)}?klart={done}#svar");
    }

    sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }

    static IDataProtector Protector(IDataProtectionProvider p) => p.CreateProtector(FormPurpose);

    static bool ValidFormProof(IDataProtectionProvider p, string proof, string token)
    {
        if (string.IsNullOrEmpty(proof)) return false;
        try { return Protector(p).ToTimeLimitedDataProtector().Unprotect(proof) == token; }
        catch (System.Security.Cryptography.CryptographicException) { return false; }
    }

    static string ProtectForm(IDataProtectionProvider p, string token) => Protector(p).ToTimeLimitedDataProtector().Protect(token, FormLifetime);

    /// <summary>Sec-Fetch-Site (modern browsers) or Origin (older ones), when sent, must say the form came from this site.</summary>
    static bool SameOrigin(HttpContext http)
    {
        var site = http.Request.Headers["Sec-Fetch-Site"].ToString();
        // A browser that says where the form came from is believed: with the site's Referrer-Policy no-referrer,
        // Chromium sends "Origin: null" on same-origin form posts, so Origin alone would refuse every real answer.
        if (site.Length > 0) return site is "same-origin" or "none";
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null") return origin.Length == 0;
        return Uri.TryCreate(origin, UriKind.Absolute, out var o) &&
               string.Equals(o.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    static ContentHttpResult RenderRsvp(HttpContext http, TenantInfo t, Rsvp.View v, DateTime now, string proof, string? done, int status = 200)
    {
        var basePath = http.Request.PathBase.Value ?? "";
        var token = Uri.EscapeDataString(v.Token);
        var sb = new StringBuilder();
        sb.Append("<h1>").Append(E(v.Title)).Append("</h1>\n");
        if (v.FirstName is { Length: > 0 } name) sb.Append("<p>Hej ").Append(E(name)).Append("! <span lang=\"en\">Hello!</span></p>\n");
        sb.Append("<dl class=\"facts\">")
          .Append("<dt>När <span lang=\"en\">(When)</span></dt><dd>").Append(E(StockholmTime.FormatSwedish(v.StartsAtUtc)))
          .Append("<br><span lang=\"en\" class=\"muted\">").Append(E(StockholmTime.FormatEnglish(v.StartsAtUtc))).Append("</span></dd>")
          .Append("<dt>Längd <span lang=\"en\">(Length)</span></dt><dd>").Append(v.DurationMinutes).Append(" minuter <span lang=\"en\">(minutes)</span></dd>")
          .Append("<dt>Var <span lang=\"en\">(Where)</span></dt><dd>").Append(E(PlatformName(v.Platform))).Append(", digitalt <span lang=\"en\">(online)</span></dd>")
          .Append("</dl>\n");
        sb.Append(Paragraphs(v.Description));

        sb.Append("<div id=\"svar\" role=\"status\" aria-live=\"polite\">").Append(Notice(done)).Append("</div>\n");

        switch (v.WebcastStatus)
        {
            case "cancelled":
                sb.Append("<div class=\"notice warn\"><p><strong>Webbsändningen är inställd.</strong></p>")
                  .Append("<p lang=\"en\">This webcast has been cancelled.</p></div>\n");
                break;
            case "completed":
                sb.Append("<div class=\"notice\"><p>Webbsändningen är avslutad. Tack för ditt intresse!</p><p lang=\"en\">This webcast has ended.</p></div>\n");
                if (v.RecordingUrl is not null)
                    sb.Append("<p><a href=\"").Append(E(v.RecordingUrl)).Append("\">Se inspelningen <span lang=\"en\">(Watch the recording)</span></a></p>\n");
                break;
            default:
                sb.Append("<h2>Ditt svar <span lang=\"en\" class=\"en\">Your answer</span></h2>\n<p>").Append(StatusText(v.Status)).Append("</p>\n");
                if (v.CanAnswer(now))
                {
                    sb.Append("<form method=\"post\" action=\"").Append(E($"{basePath}/r/{token}")).Append("\">\n")
                      .Append("<input type=\"hidden\" name=\"proof\" value=\"").Append(E(proof)).Append("\">\n")
                      .Append("<fieldset><legend>Kommer du? <span lang=\"en\">Will you attend?</span></legend>\n<div class=\"actions\">")
                      .Append("<button type=\"submit\" name=\"answer\" value=\"accept\" class=\"primary\" aria-pressed=\"")
                      .Append(v.Status is "accepted" or "waitlisted" ? "true" : "false").Append("\">Ja, jag kommer <span lang=\"en\">(Yes, I will attend)</span></button>")
                      .Append("<button type=\"submit\" name=\"answer\" value=\"decline\" class=\"secondary\" aria-pressed=\"")
                      .Append(v.Status == "declined" ? "true" : "false").Append("\">Nej tack <span lang=\"en\">(No, thank you)</span></button>")
                      .Append("</div>\n<p class=\"muted\">Du kan ändra ditt svar fram till starten. <span lang=\"en\">You can change your answer until the start.</span></p>")
                      .Append("</fieldset>\n</form>\n");
                }
                else
                {
                    sb.Append("<p class=\"muted\">Webbsändningen har börjat, så svaret kan inte längre ändras. <span lang=\"en\">The webcast has started; answers are closed.</span></p>\n");
                }
                if (v.Status is "accepted" or "attended")
                {
                    sb.Append("<h2>Delta <span lang=\"en\" class=\"en\">Join</span></h2>\n")
                      .Append("<p>Länken till sändningen öppnas 30 minuter före start: <a href=\"").Append(E($"{basePath}/j/{token}")).Append("\">Gå till webbsändningen</a>.")
                      .Append(" <span lang=\"en\">The link opens 30 minutes before the start: <a href=\"").Append(E($"{basePath}/j/{token}")).Append("\">Join the webcast</a>.</span></p>\n")
                      .Append("<p><a class=\"button secondary\" href=\"").Append(E($"{basePath}/r/{token}/kalender.ics")).Append("\" download>")
                      .Append("Lägg till i kalendern (.ics) <span lang=\"en\">(Add to calendar)</span></a></p>\n");
                }
                break;
        }
        return Page(status, v.Title, t.Name, sb.ToString());
    }

    static string Notice(string? done) => done switch
    {
        "accepted" => "<div class=\"notice\"><p><strong>Tack! Du är anmäld.</strong> En bekräftelse med kalenderfil skickas till din e-post.</p><p lang=\"en\">Thank you, you are registered. A confirmation with a calendar file is on its way.</p></div>",
        "waitlisted" => "<div class=\"notice warn\"><p><strong>Alla platser är tagna – du står på väntelistan.</strong> Vi meddelar dig om en plats blir ledig.</p><p lang=\"en\">The webcast is full: you are on the waiting list. We will tell you if a seat becomes free.</p></div>",
        "declined" => "<div class=\"notice\"><p><strong>Tack för ditt svar.</strong> Du har tackat nej.</p><p lang=\"en\">Thank you, you have declined.</p></div>",
        "unchanged" => "<div class=\"notice\"><p>Ditt svar är oförändrat.</p><p lang=\"en\">Your answer is unchanged.</p></div>",
        "closed" => "<div class=\"notice warn\"><p>Svaret kunde inte ändras: webbsändningen har börjat eller är inställd.</p><p lang=\"en\">Your answer could not be changed: the webcast has started or was cancelled.</p></div>",
        "stale" => "<div class=\"notice warn\"><p>Sidan hade hunnit bli för gammal. Välj ditt svar igen.</p><p lang=\"en\">The page had expired. Please choose your answer again.</p></div>",
        "invalid" => "<div class=\"notice warn\"><p>Välj Ja eller Nej.</p><p lang=\"en\">Please choose Yes or No.</p></div>",
        _ => "",
    };

    static string StatusText(string status) => status switch
    {
        "accepted" or "attended" => "Du har tackat ja. <span lang=\"en\">You have accepted.</span>",
        "waitlisted" => "Du står på väntelistan. <span lang=\"en\">You are on the waiting list.</span>",
        "declined" => "Du har tackat nej. <span lang=\"en\">You have declined.</span>",
        _ => "Du har inte svarat än. <span lang=\"en\">You have not answered yet.</span>",
    };

    static string PlatformName(string platform) => platform switch { "teams" => "Microsoft Teams", "zoom" => "Zoom", _ => "Webbsändning" };

    static async Task<IResult> PersonalCalendar(string token, Db db, Rsvp rsvp, ITenantContextAccessor tenant, PublicLinks links,
        TimeProvider time, CancellationToken ct)
    {
        if (tenant.Tenant is not { } t) return NotFound(null);
        await using var uow = await db.BeginAsync(ct);
        var view = await rsvp.FindAsync(uow, token, ct);
        if (view is null) return NotFound(t.Name);
        var ics = CalendarFiles.Single(view.AsWebcast().CalendarEvent(CalendarFiles.InvitationUid(view.InvitationId), links.Rsvp(t.Slug, view.Token)),
            time.GetUtcNow().UtcDateTime, t.Name);
        return TypedResults.File(Encoding.UTF8.GetBytes(ics), CalendarFiles.ContentType, "webbsandning.ics");
    }

    /// <summary>
    /// The tracked join: inside the window (30 minutes before the start until the end) the join is recorded
    /// (the first one counts) and the browser goes on (302) to the platform; outside it, a page with the time.
    /// </summary>
    static async Task<IResult> Join(string token, Db db, Rsvp rsvp, ITenantContextAccessor tenant, TimeProvider time,
        AttendanceRecorder attendance, CancellationToken ct)
    {
        if (tenant.Tenant is not { } t) return NotFound(null);
        await using var uow = await db.BeginAsync(ct);
        var view = await rsvp.FindAsync(uow, token, ct);
        if (view is null) return NotFound(t.Name);
        var now = time.GetUtcNow().UtcDateTime;
        var opens = view.StartsAtUtc - JoinOpensBefore;
        string Main(string sv, string en) =>
            $"<h1>{E(view.Title)}</h1>\n<dl class=\"facts\"><dt>När <span lang=\"en\">(When)</span></dt><dd>{E(StockholmTime.FormatSwedish(view.StartsAtUtc))}" +
            $"<br><span lang=\"en\" class=\"muted\">{E(StockholmTime.FormatEnglish(view.StartsAtUtc))}</span></dd></dl>\n" +
            $"<div class=\"notice warn\" role=\"status\"><p>{sv}</p><p lang=\"en\">{en}</p></div>";

        if (view.WebcastStatus == "cancelled")
            return Page(200, view.Title, t.Name, Main("Webbsändningen är inställd.", "This webcast has been cancelled."));
        if (view.Status == "waitlisted")
            return Page(200, view.Title, t.Name, Main("Du står på väntelistan. Vi meddelar dig om en plats blir ledig.",
                "You are on the waiting list. We will tell you if a seat becomes free."));
        if (now < opens)
            return Page(200, view.Title, t.Name, Main(
                $"Sändningen har inte börjat än. Länken öppnas kl. {StockholmTime.FormatTime(opens)}, 30 minuter före start. Välkommen tillbaka då!",
                $"The webcast has not started yet. The link opens at {StockholmTime.FormatTime(opens)} (Swedish time), 30 minutes before the start."));
        if (now >= view.EndsAtUtc || view.JoinUrl is null)
            return Page(200, view.Title, t.Name, Main(
                view.JoinUrl is null ? "Länken till sändningen är inte klar än. Försök igen om en stund." : "Webbsändningen är avslutad." +
                    (view.RecordingUrl is null ? "" : $" <a href=\"{E(view.RecordingUrl)}\">Se inspelningen</a>."),
                view.JoinUrl is null ? "The link is not ready yet. Please try again shortly." : "This webcast has ended."));

        await attendance.RecordTrackedJoinAsync(uow, view.InvitationId, now, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Redirect(view.JoinUrl);
    }

    /// <summary>The tenant's scheduled webcasts as a subscribable calendar (one VEVENT per webcast; cancelled ones for 30 days).</summary>
    static async Task<IResult> Feed(Db db, ITenantContextAccessor tenant, PublicLinks links, TimeProvider time, CancellationToken ct)
    {
        if (tenant.Tenant is not { } t) return NotFound(null);
        await using var uow = await db.BeginAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await uow.QueryAsync<WebcastRow>($"""
            SELECT {WebcastRow.Columns} FROM webcasts w
            WHERE w.status IN ('scheduled', 'live', 'completed', 'cancelled') AND w.starts_at >= @since
            ORDER BY w.starts_at, w.id
            """, new { since = now.AddDays(-90) }, ct);
        var ics = CalendarFiles.Feed(rows.Where(w => w.Status != "cancelled" || w.StartsAtUtc >= now.AddDays(-30))
            .Select(w => w.CalendarEvent(CalendarFiles.WebcastUid(w.Id), links.Feed(t.Slug))), now, $"Våga vara digital – {t.Name}");
        return TypedResults.File(Encoding.UTF8.GetBytes(ics), CalendarFiles.ContentType, "kalender.ics");
    }

    // ---------------------------------------------------------------- JSON (/api/public)

    static ProblemHttpResult InvitationNotFound() => Problems.NotFound("Länken fungerar inte",
        "Vi hittar ingen inbjudan för den här länken. / We cannot find an invitation for this link.");

    static PublicInvitation Shape(Rsvp.View v, TenantInfo t, HttpContext http, DateTime now)
    {
        var basePath = http.Request.PathBase.Value ?? "";
        var token = Uri.EscapeDataString(v.Token);
        return new PublicInvitation(t.Slug, t.Name,
            new PublicWebcast(v.WebcastId, v.Title, v.Description, v.StartsAtUtc, StockholmTime.ToLocalIso(v.StartsAtUtc),
                StockholmTime.FormatSwedish(v.StartsAtUtc), StockholmTime.FormatEnglish(v.StartsAtUtc), v.DurationMinutes, v.Platform,
                v.WebcastStatus, v.WebcastStatus == "completed" ? v.RecordingUrl : null),
            v.Status, v.CanAnswer(now), $"{basePath}/r/{token}/kalender.ics", $"{basePath}/j/{token}", v.StartsAtUtc - JoinOpensBefore);
    }

    static async Task<Results<Ok<PublicInvitation>, ProblemHttpResult>> GetInvitation(string token, HttpContext http, Db db, Rsvp rsvp,
        ITenantContextAccessor tenant, TimeProvider time, CancellationToken ct)
    {
        var t = tenant.Tenant!;
        await using var uow = await db.BeginAsync(ct);
        var view = await rsvp.FindAsync(uow, token, ct);
        return view is null ? InvitationNotFound() : TypedResults.Ok(Shape(view, t, http, time.GetUtcNow().UtcDateTime));
    }

    /// <summary>JSON only (a cross-site HTML form cannot send application/json without a CORS preflight, which we never grant).</summary>
    static async Task<Results<Ok<RsvpAnswerResult>, ProblemHttpResult, ValidationProblem>> PostAnswer(string token, [FromBody] RsvpAnswer body,
        HttpContext http, Db db, Rsvp rsvp, ITenantContextAccessor tenant, TimeProvider time, CancellationToken ct)
    {
        var t = tenant.Tenant!;
        var answer = body.Answer switch { "accept" => Rsvp.Answer.Accept, "decline" => Rsvp.Answer.Decline, _ => (Rsvp.Answer?)null };
        await using var uow = await db.BeginAsync(ct);
        if (await rsvp.FindAsync(uow, token, ct) is null) return InvitationNotFound();
        if (answer is null) return Problems.Validation(new Dictionary<string, string[]> { ["answer"] = ["Svara accept eller decline."] });
        var (result, view) = await rsvp.AnswerAsync(uow, token, answer.Value, t.Slug, ct);
        if (view is null) return InvitationNotFound();
        if (result == Rsvp.Result.Closed)
            return Problems.Conflict("rsvp_closed", "Svaret kan inte längre ändras", "Webbsändningen har börjat eller är inställd.");
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new RsvpAnswerResult(result.ToString().ToLowerInvariant(), Shape(view, t, http, time.GetUtcNow().UtcDateTime)));
    }

    static async Task<Ok<PublicWebcast[]>> ListScheduled(Db db, TimeProvider time, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var rows = await uow.QueryAsync<WebcastRow>($"""
            SELECT {WebcastRow.Columns} FROM webcasts w WHERE w.status IN ('scheduled', 'live') ORDER BY w.starts_at, w.id
            """, ct: ct);
        return TypedResults.Ok(rows.Select(w => new PublicWebcast(w.Id, w.Title, w.Description, w.StartsAtUtc, StockholmTime.ToLocalIso(w.StartsAtUtc),
            StockholmTime.FormatSwedish(w.StartsAtUtc), StockholmTime.FormatEnglish(w.StartsAtUtc), w.DurationMinutes, w.Platform, w.Status, null)).ToArray());
    }
}
