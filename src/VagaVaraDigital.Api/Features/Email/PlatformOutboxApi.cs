using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MimeKit;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// The platform outbox for SystemAdmin (<c>/api/system/email/outbox</c>, docs/decisions/0015): the mail to accounts
/// without a tenant — status, attempts, the last error, the .eml when the transport kept one — and a new try of a failed
/// message, recorded in the platform's audit log (ADR 0067). The county outbox's endpoints (<see cref="EmailApi"/>) on the
/// global table; the address is shown to SystemAdmin but never logged or audited.
/// </summary>
public static class PlatformOutboxApi
{
    public sealed record PlatformOutboxItem(long Id, string Kind, string Status, string ToAddress, string UserId, DateTime DueAt,
        DateTime? NextAttemptAt, DateTime? SentAt, int Attempts, string? LastError, string? MessageId, string Language,
        DateTime CreatedAt, DateTime UpdatedAt, bool EmlAvailable);

    public sealed record PlatformOutboxPage(PlatformOutboxItem[] Items, long? NextBeforeId);

    public static IEndpointRouteBuilder MapPlatformOutboxEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system/email/outbox").WithTags("Email").RequireAuthorization(Policies.SystemAdmin);
        group.MapGet("/", List).WithName("ListPlatformOutbox")
            .WithSummary("Plattformens utkorg: mejl till konton utan län (inbjudningar, nya lösenord), nyast först");
        group.MapGet("/summary", Summary).WithName("PlatformOutboxSummary").WithSummary("Antal mejl per status i plattformens utkorg");
        group.MapGet("/{id}", Get).WithName("GetPlatformOutboxItem").WithSummary("Ett mejl i plattformens utkorg");
        group.MapGet("/{id}/eml", GetEml).WithName("GetPlatformOutboxEml")
            .WithSummary("Mejlet som .eml-fil, om det skickades utan SMTP-server och filen finns kvar");
        group.MapPost("/{id}/retry", Retry).WithName("RetryPlatformOutboxItem").WithSummary("Försök skicka ett misslyckat mejl igen");
        return app;
    }

    const string Table = "platform_email_outbox";

    const string ItemColumns = """
        id, kind, status, to_address AS ToAddress, user_id AS UserId, due_at AS DueAt, next_attempt_at AS NextAttemptAt,
        sent_at AS SentAt, attempts, last_error AS LastError, message_id AS MessageId, language, created_at AS CreatedAt,
        updated_at AS UpdatedAt, false AS EmlAvailable
        """;

    static async Task<Results<Ok<PlatformOutboxPage>, ValidationProblem>> List(Db db, IOptions<EmailOptions> options, string? status,
        string? kind, long? beforeId, int? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (EmailApi.UnknownStatus(status) is { } unknown) errors["status"] = unknown;
        if (kind is not null && !PlatformOutbox.Kinds.Contains(kind)) errors["kind"] = [$"Okänd mejltyp. Välj bland: {string.Join(", ", PlatformOutbox.Kinds)}."];
        if (errors.Count > 0) return Problems.Validation(errors);
        await using var uow = await db.ReadGlobalAsync(ct);
        var (rows, more) = await EmailApi.OutboxPageAsync<PlatformOutboxItem>(uow, Table, ItemColumns, status, kind,
            beforeId, limit, ct);
        var items = rows.Select(r => WithEml(r, options.Value)).ToArray();
        return TypedResults.Ok(new PlatformOutboxPage(items, more ? items[^1].Id : null));
    }

    static async Task<Ok<EmailApi.OutboxSummary[]>> Summary(Db db, CancellationToken ct)
    {
        await using var uow = await db.ReadGlobalAsync(ct);
        var rows = await uow.QueryAsync<EmailApi.OutboxSummary>(
            $"SELECT status, count(*) AS count FROM {Table} GROUP BY status ORDER BY status", ct: ct);
        return TypedResults.Ok(rows.ToArray());
    }

    static async Task<Results<Ok<PlatformOutboxItem>, ProblemHttpResult>> Get(string id, Db db, IOptions<EmailOptions> options, CancellationToken ct)
    {
        if (ParseId(id) is not { } key) return InvalidId();
        var row = await FindAsync(db, key, ct);
        return row is null ? NotFound() : TypedResults.Ok(WithEml(row, options.Value));
    }

    /// <summary>
    /// The .eml the embedded transport wrote (no SMTP server: <c>mail/platform/{id}.eml</c>), when it is still there and is
    /// this row's message (same Message-ID — the file of an earlier database with the same id is not). Unlike the county
    /// outbox, a message without a file is not composed here: it would show a live activation or reset link of a platform
    /// account.
    /// </summary>
    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetEml(string id, Db db, IOptions<EmailOptions> options,
        CancellationToken ct)
    {
        if (ParseId(id) is not { } key) return InvalidId();
        var row = await FindAsync(db, key, ct);
        if (row is null) return NotFound();
        if (EmlPath(row, options.Value) is { } path)
        {
            var bytes = await File.ReadAllBytesAsync(path, ct);
            using var stream = new MemoryStream(bytes);
            var saved = await MimeMessage.LoadAsync(stream, ct);
            if (saved.MessageId == row.MessageId) return TypedResults.File(bytes, "message/rfc822", $"plattformsmejl-{key}.eml");
        }
        return Problems.Result(StatusCodes.Status404NotFound, "eml_not_kept", "Mejlet finns inte som fil",
            "Plattformens mejl sparas som .eml-fil bara när ingen SMTP-server är inställd och mejlet har skickats; skickade mejl tas bort efter en vecka.");
    }

    /// <summary>A failed message goes back to pending with its attempts reset (the county outbox's rule, <see cref="EmailApi.RetryFailedAsync"/>).</summary>
    static async Task<Results<Ok<PlatformOutboxItem>, ProblemHttpResult>> Retry(string id, Db db, AuditLog audit, CancellationToken ct)
    {
        if (ParseId(id) is not { } key) return InvalidId();
        await using var uow = await db.BeginGlobalAsync(ct);
        var (row, refusal) = await EmailApi.RetryFailedAsync<PlatformOutboxItem>(uow, Table, ItemColumns, "", key, ct);
        if (row is null) return refusal!;
        await audit.RecordPlatformAsync(uow, "platform_email.retried", $"platform_email:{key}", new { kind = row.Kind, userId = row.UserId }, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(row);
    }

    static async Task<PlatformOutboxItem?> FindAsync(Db db, long key, CancellationToken ct)
    {
        await using var uow = await db.ReadGlobalAsync(ct);
        return await uow.QuerySingleOrDefaultAsync<PlatformOutboxItem>($"SELECT {ItemColumns} FROM {Table} WHERE id = @key", new { key }, ct);
    }

    static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && key > 0 ? key : null;

    static ProblemHttpResult InvalidId() =>
        Problems.Result(StatusCodes.Status400BadRequest, "invalid_id", "Ogiltigt id", "Ett mejls id är ett positivt heltal.");

    static ProblemHttpResult NotFound() => Problems.NotFound("Mejlet finns inte");

    static PlatformOutboxItem WithEml(PlatformOutboxItem row, EmailOptions options) =>
        row with { EmlAvailable = EmlPath(row, options) is not null };

    /// <summary>Where the embedded transport wrote a sent message, if it did and the file is there.</summary>
    static string? EmlPath(PlatformOutboxItem row, EmailOptions options)
    {
        if (row.Status != "sent" || row.MessageId is null || !string.IsNullOrWhiteSpace(options.SmtpHost)) return null;
        var path = Path.Combine(options.ResolvedPickupDirectory, PlatformOutbox.Id, $"{row.Id}.eml");
        return File.Exists(path) ? path : null;
    }
}
