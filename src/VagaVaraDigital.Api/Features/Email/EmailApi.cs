using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MimeKit;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Invitees;
using VagaVaraDigital.Api.Features.PublicPages;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// The tenant's e-mail: the outbox (status of every message, failures, the message itself as .eml), the county's
/// templates (CountyAdmin edits, previews, reverts), and the invitees' unsubscribe page <c>/u/{token}</c>
/// (GET asks, POST unsubscribes — also RFC 8058 one-click POST from the mail client, without JavaScript).
/// </summary>
public static class EmailApi
{
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EmailTemplates>();
        services.AddSingleton<MessageComposer>();
        services.AddSingleton(EmailTransports.Create);
        services.AddHostedService<OutboxSender>();
        services.AddHostedService<PlatformOutboxSender>();   // mail to accounts without a tenant (docs/decisions/0015)
        return services;
    }

    public sealed record OutboxItem(long Id, string Kind, string Status, string ToAddress, Guid? InvitationId, string? UserId,
        DateTime DueAt, DateTime? NextAttemptAt, DateTime? SentAt, int Attempts, string? LastError, bool PermanentFailure,
        string? MessageId, string Language, DateTime CreatedAt, DateTime UpdatedAt);

    public sealed record OutboxPage(OutboxItem[] Items, long? NextBeforeId);

    public sealed record OutboxSummary(string Status, long Count);

    public sealed record TemplateView(string Kind, string Language, string Subject, string Body, bool IsCustom,
        string DefaultSubject, string DefaultBody, DateTime? UpdatedAt);

    public sealed record TemplateUpdate(string Subject, string Body);

    public sealed record TemplatePreviewRequest(string Kind, string Language, string? Subject, string? Body);

    public sealed record TemplatePreview(string Subject, string Text, string Html);

    /// <summary>The signed-in user's e-mail settings in this tenant. <c>DailyDigest</c>: the daily digest to CountyAdmins (default on).</summary>
    public sealed record MyEmailSettings(bool DailyDigest);

    public sealed record MyEmailSettingsUpdate(bool? DailyDigest);

    public static IEndpointRouteBuilder MapEmailEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/email").WithTags("Email").RequireTenant().RequireAuthorization(Policies.CountyAdmin);
        admin.MapGet("/outbox", ListOutbox).WithName("ListOutbox").WithSummary("Utkorgen: alla mejl med status, nyast först");
        admin.MapGet("/outbox/summary", Summary).WithName("OutboxSummary").WithSummary("Antal mejl per status");
        admin.MapGet("/outbox/{id:long}", GetOutboxItem).WithName("GetOutboxItem").WithSummary("Ett mejl i utkorgen");
        admin.MapGet("/outbox/{id:long}/eml", GetEml).WithName("GetOutboxEml").WithSummary("Mejlet som .eml-fil");
        admin.MapPost("/outbox/{id:long}/retry", Retry).WithName("RetryOutboxItem").WithSummary("Försök skicka ett misslyckat mejl igen");
        admin.MapGet("/templates", ListTemplates).WithName("ListEmailTemplates").WithSummary("Länets mejlmallar (egna och standard)");
        admin.MapPut("/templates/{kind}/{language}", SaveTemplate).WithName("SaveEmailTemplate").WithSummary("Spara en egen mall (Liquid)");
        admin.MapDelete("/templates/{kind}/{language}", ResetTemplate).WithName("ResetEmailTemplate").WithSummary("Återgå till standardmallen");
        admin.MapPost("/templates/preview", Preview).WithName("PreviewEmailTemplate").WithSummary("Förhandsgranska en mall med exempeldata");
        admin.MapGet("/my-settings", GetMySettings).WithName("GetMyEmailSettings")
            .WithSummary("Mina e-postinställningar i länet (den dagliga sammanfattningen till länets administratörer)");
        admin.MapPut("/my-settings", SaveMySettings).WithName("SaveMyEmailSettings")
            .WithSummary("Ändra mina e-postinställningar: dailyDigest = false stänger av den dagliga sammanfattningen");

        var unsubscribe = app.MapGroup("/u").WithTags("Email").RequireTenant().AllowAnonymous().ExcludeFromDescription();
        unsubscribe.MapGet("/{token}", UnsubscribePage);
        unsubscribe.MapPost("/{token}", Unsubscribe).DisableAntiforgery();
        unsubscribe.MapPost("/{token}/undo", Resubscribe).DisableAntiforgery();
        return app;
    }

    const string ItemColumns = """
        id, kind, status, to_address AS ToAddress, invitation_id AS InvitationId, user_id AS UserId, due_at AS DueAt,
        next_attempt_at AS NextAttemptAt, sent_at AS SentAt, attempts, last_error AS LastError, permanent_failure AS PermanentFailure,
        message_id AS MessageId, language, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    static readonly string[] Statuses = ["pending", "sending", "sent", "failed", "cancelled"];

    /// <summary>The error for a status filter that is not an outbox status (the county's and the platform's outbox), or null.</summary>
    internal static string[]? UnknownStatus(string? status) =>
        status is not null && !Statuses.Contains(status) ? [$"Okänd status. Välj bland: {string.Join(", ", Statuses)}."] : null;

    /// <summary>One page of an outbox table (the county's or the platform's), newest first, and whether more rows follow.</summary>
    internal static async Task<(T[] Items, bool More)> OutboxPageAsync<T>(UnitOfWork uow, string table, string columns, string? status,
        string? kind, long? beforeId, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 500);
        var rows = (await uow.QueryAsync<T>($"""
            SELECT {columns} FROM {table}
            WHERE (@status::text IS NULL OR status = @status) AND (@kind::text IS NULL OR kind = @kind)
              AND (@beforeId::bigint IS NULL OR id < @beforeId)
            ORDER BY id DESC LIMIT @take
            """, new { status, kind, beforeId, take = take + 1 }, ct)).ToArray();
        return (rows.Take(take).ToArray(), rows.Length > take);
    }

    static async Task<Results<Ok<OutboxPage>, ValidationProblem>> ListOutbox(Db db, string? status, string? kind, long? beforeId,
        int? limit, CancellationToken ct)
    {
        if (UnknownStatus(status) is { } error) return Problems.Validation(new Dictionary<string, string[]> { ["status"] = error });
        await using var uow = await db.BeginAsync(ct);
        var (items, more) = await OutboxPageAsync<OutboxItem>(uow, "email_outbox", ItemColumns, status, kind, beforeId, limit, ct);
        return TypedResults.Ok(new OutboxPage(items, more ? items[^1].Id : null));
    }

    static async Task<Ok<OutboxSummary[]>> Summary(Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var rows = await uow.QueryAsync<OutboxSummary>("SELECT status, count(*) AS count FROM email_outbox GROUP BY status ORDER BY status", ct: ct);
        return TypedResults.Ok(rows.ToArray());
    }

    static async Task<Results<Ok<OutboxItem>, ProblemHttpResult>> GetOutboxItem(long id, Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await uow.QuerySingleOrDefaultAsync<OutboxItem>($"SELECT {ItemColumns} FROM email_outbox WHERE id = @id", new { id }, ct);
        return row is null ? Problems.NotFound("Mejlet finns inte") : TypedResults.Ok(row);
    }

    /// <summary>The message as delivered (the .eml the embedded transport wrote) or, otherwise, as it would be composed now.</summary>
    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetEml(long id, Db db, MessageComposer composer,
        IOptions<EmailOptions> options, TimeProvider clock, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await uow.QuerySingleOrDefaultAsync<OutboxRow>(OutboxRow.SelectSql + " WHERE o.id = @id", new { id }, ct);
        if (row is null) return Problems.NotFound("Mejlet finns inte");
        var root = Path.GetFullPath(options.Value.ResolvedPickupDirectory);
        if (row.EmlPath is { } path && Path.GetFullPath(path).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path))
        {
            return TypedResults.File(await File.ReadAllBytesAsync(path, ct), "message/rfc822", $"mejl-{id}.eml");
        }
        var tenant = await TenantMail.LoadAsync(uow, ct);
        Composition composed;
        try
        {
            composed = await composer.ComposeAsync(tenant, row, clock.GetUtcNow().UtcDateTime, checkRules: false);
        }
        catch (TemplateException e)
        {
            return Problems.Result(StatusCodes.Status422UnprocessableEntity, "template_error", "Mejlet kan inte visas", e.Message);
        }
        if (composed.Message is null)
            return Problems.Result(StatusCodes.Status422UnprocessableEntity, "message_invalid", "Mejlet kan inte visas", composed.Error);
        using var stream = new MemoryStream();
        await composed.Message.WriteToAsync(stream, ct);
        return TypedResults.File(stream.ToArray(), "message/rfc822", $"mejl-{id}.eml");
    }

    static async Task<Results<Ok<OutboxItem>, ProblemHttpResult>> Retry(long id, Db db, AuditLog audit, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (row, refusal) = await RetryFailedAsync<OutboxItem>(uow, "email_outbox", ItemColumns, "permanent_failure = false,", id, ct);
        if (row is null) return refusal!;
        await audit.RecordAsync(uow, "email.retried", $"email:{id}", null, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(row);
    }

    /// <summary>
    /// An outbox's rule for a new try (the county's and the platform's): a failed message goes back to pending with its
    /// attempts and error reset (and <paramref name="alsoReset"/>, the table's own columns); anything else is left as is and
    /// refused — 409 when it exists but has not failed, else 404.
    /// </summary>
    internal static async Task<(T? Row, ProblemHttpResult? Refusal)> RetryFailedAsync<T>(UnitOfWork uow, string table, string columns,
        string alsoReset, long id, CancellationToken ct)
    {
        var row = await uow.QuerySingleOrDefaultAsync<T>($"""
            UPDATE {table} SET status = 'pending', attempts = 0, next_attempt_at = NULL, {alsoReset}
                   last_error = NULL, updated_at = now()
            WHERE id = @id AND status = 'failed'
            RETURNING {columns}
            """, new { id }, ct);
        if (row is not null) return (row, null);
        var exists = await uow.ExecuteScalarAsync<bool>($"SELECT EXISTS (SELECT FROM {table} WHERE id = @id)", new { id }, ct);
        return (default, exists
            ? Problems.Conflict("outbox_not_failed", "Bara misslyckade mejl kan skickas igen")
            : Problems.NotFound("Mejlet finns inte"));
    }

    sealed class TemplateRow
    {
        public string Kind { get; init; } = "";
        public string Language { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Body { get; init; } = "";
        public DateTime UpdatedAt { get; init; }
    }

    static async Task<Ok<TemplateView[]>> ListTemplates(Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var custom = (await uow.QueryAsync<TemplateRow>(
            "SELECT kind, language, subject, body, updated_at AS UpdatedAt FROM email_templates", ct: ct)).ToDictionary(r => (r.Kind, r.Language));
        var views = DefaultTemplates.Kinds.SelectMany(k => DefaultTemplates.Languages.Select(l =>
        {
            var d = DefaultTemplates.Get(k, l);
            return custom.TryGetValue((k, l), out var c)
                ? new TemplateView(k, l, c.Subject, c.Body, true, d.Subject, d.Body, c.UpdatedAt)
                : new TemplateView(k, l, d.Subject, d.Body, false, d.Subject, d.Body, null);
        })).ToArray();
        return TypedResults.Ok(views);
    }

    static Dictionary<string, string[]>? CheckKind(string kind, string language)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DefaultTemplates.IsKnownKind(kind)) errors["kind"] = [$"Okänd mejltyp. Välj bland: {string.Join(", ", DefaultTemplates.Kinds)}."];
        if (!DefaultTemplates.Languages.Contains(language)) errors["language"] = ["Språket ska vara sv eller en."];
        return errors.Count > 0 ? errors : null;
    }

    static async Task<Results<Ok<TemplateView>, ValidationProblem>> SaveTemplate(string kind, string language, TemplateUpdate update,
        Db db, EmailTemplates templates, MessageComposer composer, AuditLog audit, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (CheckKind(kind, language) is { } bad) return Problems.Validation(bad);
        var subject = (update.Subject ?? "").Trim();
        var body = (update.Body ?? "").Trim();
        var errors = new Dictionary<string, string[]>();
        if (subject.Length is 0 or > 500) errors["subject"] = ["Ämnesraden ska ha 1–500 tecken."];
        if (body.Length is 0 or > 20000) errors["body"] = ["Texten ska ha 1–20 000 tecken."];
        if (errors.Count > 0) return Problems.Validation(errors);

        await using var uow = await db.BeginAsync(ct);
        var tenant = await TenantMail.LoadAsync(uow, ct);
        var template = new DefaultTemplates.Template(subject, body);
        var sample = composer.Model(tenant, MessageComposer.Sample(kind, language, clock.GetUtcNow().UtcDateTime), language);
        if (await templates.ValidateAsync(template, sample) is { } problem)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["body"] = [problem] }, "Mallen sparades inte.");
        }
        var row = await uow.QuerySingleAsync<TemplateRow>("""
            INSERT INTO email_templates (tenant_id, kind, language, subject, body, updated_by)
            VALUES (@tenantId, @kind, @language, @subject, @body, @by)
            ON CONFLICT (tenant_id, kind, language) DO UPDATE SET subject = excluded.subject, body = excluded.body,
              updated_at = now(), updated_by = excluded.updated_by
            RETURNING kind, language, subject, body, updated_at AS UpdatedAt
            """, new { tenantId = uow.RequiredTenantId, kind, language, subject, body, by = user.Id }, ct);
        await audit.RecordAsync(uow, "email.template_saved", $"email_template:{kind}:{language}", null, ct);
        await uow.CommitAsync(ct);
        var d = DefaultTemplates.Get(kind, language);
        return TypedResults.Ok(new TemplateView(kind, language, row.Subject, row.Body, true, d.Subject, d.Body, row.UpdatedAt));
    }

    static async Task<Results<NoContent, ValidationProblem>> ResetTemplate(string kind, string language, Db db, AuditLog audit, CancellationToken ct)
    {
        if (CheckKind(kind, language) is { } bad) return Problems.Validation(bad);
        await using var uow = await db.BeginAsync(ct);
        var n = await uow.ExecuteAsync("DELETE FROM email_templates WHERE kind = @kind AND language = @language", new { kind, language }, ct);
        if (n > 0) await audit.RecordAsync(uow, "email.template_reset", $"email_template:{kind}:{language}", null, ct);
        await uow.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<TemplatePreview>, ValidationProblem>> Preview(TemplatePreviewRequest request, Db db, EmailTemplates templates,
        MessageComposer composer, TimeProvider clock, CancellationToken ct)
    {
        if (CheckKind(request.Kind ?? "", request.Language ?? "") is { } bad) return Problems.Validation(bad);
        await using var uow = await db.BeginAsync(ct);
        var tenant = await TenantMail.LoadAsync(uow, ct);
        var current = tenant.TemplateFor(request.Kind!, request.Language!);
        var template = new DefaultTemplates.Template(
            string.IsNullOrWhiteSpace(request.Subject) ? current.Subject : request.Subject, string.IsNullOrWhiteSpace(request.Body) ? current.Body : request.Body);
        var row = MessageComposer.Sample(request.Kind!, request.Language!, clock.GetUtcNow().UtcDateTime);
        var sample = composer.Model(tenant, row, request.Language!);
        if (await templates.ValidateAsync(template, sample) is { } problem)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["body"] = [problem] });
        }
        var rendered = await templates.RenderAsync(template, sample);
        var parts = MessageLayout.Build(rendered.Subject, rendered.Body, request.Language!, tenant.Name,
            DefaultTemplates.IsCampaignMail(request.Kind!) ? composer.UnsubscribeUrl(tenant.Slug, row.Token!) : null);
        return TypedResults.Ok(new TemplatePreview(rendered.Subject, parts.Text, parts.Html));
    }

    // --- the signed-in admin's own settings ------------------------------------------------------

    static async Task<Ok<MyEmailSettings>> GetMySettings(Db db, CurrentUser user, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var digest = await uow.ExecuteScalarAsync<bool?>("SELECT daily_digest FROM email_user_settings WHERE user_id = @id", new { id = user.Id }, ct);
        return TypedResults.Ok(new MyEmailSettings(digest ?? true));
    }

    static async Task<Results<Ok<MyEmailSettings>, ValidationProblem>> SaveMySettings(MyEmailSettingsUpdate update, Db db, CurrentUser user,
        CancellationToken ct)
    {
        if (update.DailyDigest is not { } dailyDigest || user.Id is null)
            return Problems.Validation(new Dictionary<string, string[]> { ["dailyDigest"] = ["Ange true eller false."] });
        await using var uow = await db.BeginAsync(ct);
        await uow.ExecuteAsync("""
            INSERT INTO email_user_settings (tenant_id, user_id, daily_digest) VALUES (@tenantId, @id, @dailyDigest)
            ON CONFLICT (tenant_id, user_id) DO UPDATE SET daily_digest = excluded.daily_digest, updated_at = now()
            """, new { tenantId = uow.RequiredTenantId, id = user.Id, dailyDigest }, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new MyEmailSettings(dailyDigest));
    }

    // --- unsubscribe -----------------------------------------------------------------------------

    sealed record Recipient(Guid InviteeId, string Status);

    static Task<Recipient?> FindRecipientAsync(UnitOfWork uow, string token, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<Recipient>("""
            SELECT v.id AS InviteeId, v.status FROM invitations i JOIN invitees v ON v.id = i.invitee_id WHERE i.token = @token
            """, new { token }, ct);

    static async Task<ContentHttpResult> UnsubscribePage(string token, Db db, ITenantContextAccessor tenant, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var recipient = await FindRecipientAsync(uow, token, ct);
        var county = tenant.Tenant!.Name;
        if (recipient is null) return LinkDoesNotWork(county);
        if (recipient.Status == InviteeStatus.OptedOut) return Unsubscribed(county, token, "Du är avregistrerad", "You are unsubscribed");
        if (recipient.Status != InviteeStatus.Active) return Shown(200, county, "Du är avregistrerad", "You are unsubscribed",
            $"<p>Du får inga fler mejl från {E(county)} om Våga vara digital.</p><p lang=\"en\">You will receive no more e-mail about Våga vara digital from {E(county)}.</p>");
        return Shown(200, county, "Avregistrera dig", "Unsubscribe", $"""
            <p>Vill du sluta få mejl från {E(county)} om kompetenssatsningen Våga vara digital, till exempel inbjudningar och påminnelser?</p>
            <form method="post" action="">
              <button type="submit" class="primary">Ja, avregistrera mig <span lang="en">(Yes, unsubscribe me)</span></button>
            </form>
            <p lang="en">Do you want to stop receiving e-mail about the Våga vara digital campaign from {E(county)}? Press the button above.</p>
            """);
    }

    /// <summary>POST from the page's form or from a mail client (RFC 8058: body <c>List-Unsubscribe=One-Click</c>): unsubscribes.</summary>
    static async Task<ContentHttpResult> Unsubscribe(string token, Db db, ITenantContextAccessor tenant, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var recipient = await FindRecipientAsync(uow, token, ct);
        var county = tenant.Tenant!.Name;
        if (recipient is null) return LinkDoesNotWork(county);
        await InviteeOptOut.OptOutAsync(uow, recipient.InviteeId, ct);
        await uow.CommitAsync(ct);
        return Unsubscribed(county, token, "Klart – du är avregistrerad", "Done – you are unsubscribed");
    }

    /// <summary>
    /// The person's own undo of their opt-out ("unsubscribed by mistake"), from the same personal link. Only the
    /// person can undo it: staff can record an opt-out but never lift one (ADR 0023). Erased stays erased.
    /// </summary>
    static async Task<ContentHttpResult> Resubscribe(string token, Db db, ITenantContextAccessor tenant, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var recipient = await FindRecipientAsync(uow, token, ct);
        var county = tenant.Tenant!.Name;
        if (recipient is null) return LinkDoesNotWork(county);
        if (!await InviteeOptOut.UndoOptOutAsync(uow, recipient.InviteeId, ct))
            return Shown(409, county, "Det gick inte att ångra", "It could not be undone",
                $"<p>Dina uppgifter finns inte längre hos {E(county)}. Kontakta länsstyrelsen om du vill bli inbjuden igen.</p><p lang=\"en\">Your details are no longer held by {E(county)}. Please contact the county administrative board.</p>");
        await uow.CommitAsync(ct);
        return Shown(200, county, "Välkommen tillbaka", "Welcome back",
            $"<p role=\"status\">Du får åter mejl från {E(county)} om Våga vara digital, till exempel nya inbjudningar.</p><p lang=\"en\">You will again receive e-mail about Våga vara digital from {E(county)}, such as new invitations.</p>");
    }

    static string E(string text) => PublicHtml.E(text);

    static ContentHttpResult LinkDoesNotWork(string county) => Shown(404, county, "Länken fungerar inte", "The link does not work",
        "<p>Länken är ogiltig eller gammal. Kontakta länsstyrelsen om du vill sluta få mejl.</p><p lang=\"en\">The link is invalid or old. Please contact the county administrative board.</p>");

    static ContentHttpResult Unsubscribed(string county, string token, string title, string englishTitle) => Shown(200, county, title, englishTitle, $"""
        <p role="status">Du får inga fler mejl från {E(county)} om Våga vara digital.</p>
        <p lang="en">You will receive no more e-mail about Våga vara digital from {E(county)}.</p>
        <h2>Blev det fel? <span lang="en" class="en">Unsubscribed by mistake?</span></h2>
        <form method="post" action="{Uri.EscapeDataString(token)}/undo">
          <button type="submit" class="secondary">Ångra – jag vill få mejl igen <span lang="en">(Undo – send me e-mail again)</span></button>
        </form>
        """);

    static ContentHttpResult Shown(int status, string county, string title, string englishTitle, string content) =>
        PublicHtml.Page(status, title, county,
            $"<h1>{E(title)} <span lang=\"en\" class=\"en\">{E(englishTitle)}</span></h1>\n{content}", englishTitle);
}
