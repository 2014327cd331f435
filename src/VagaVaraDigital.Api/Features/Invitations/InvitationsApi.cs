using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Features.Invitees;
using VagaVaraDigital.Api.Features.Webcasts;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Invitations;

/// <summary>
/// Invitations: an audience (filters over the tenant's invitation list) → one invitation per invitee and webcast,
/// each with its own token. A preview counts first; inviting again adds only people not yet invited.
/// Opted-out, erased and no-longer-in-office invitees, and those without an e-mail address, are never invited.
/// </summary>
public static class InvitationsApi
{
    /// <summary>The audience. Empty lists mean "all"; with every list null the webcast's own audience is used.</summary>
    /// <param name="Municipalities">Municipality codes, or "lansstyrelsen" for the county board's own people.</param>
    /// <param name="Search">Free text over name, e-mail and title (the invitation list's search).</param>
    /// <param name="Send">Queue the invitation e-mails now (default true).</param>
    public sealed record AudienceFilter(string[]? Municipalities, string[]? RoleCategories, string[]? Tags, string? Search = null, bool? Send = null);

    public sealed record AudiencePreview(int Matching, int AlreadyInvited, int NewInvitations, int ExcludedOptedOutOrErased,
        string[] Municipalities, string[] RoleCategories, string[] Tags, string? Search);

    public sealed record InvitationResult(int Created, int AlreadyInvited, int Queued);

    public sealed class InvitationListItem
    {
        public Guid Id { get; init; }
        public Guid InviteeId { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Email { get; init; }
        public string? MunicipalityCode { get; init; }
        public string RoleCategory { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime? RespondedAt { get; init; }
        public DateTime? WaitlistedAt { get; init; }
        public DateTime? SentAt { get; init; }
        public int? Minutes { get; init; }
        public string[] AttendanceSources { get; init; } = [];
    }

    /// <summary>One answer on the county dashboard: who, to which webcast, what, when (UTC).</summary>
    public sealed class LatestAnswer
    {
        public Guid InvitationId { get; init; }
        public Guid WebcastId { get; init; }
        public string WebcastTitle { get; init; } = "";
        public Guid InviteeId { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? MunicipalityCode { get; init; }
        /// <summary>The invitation's status now: accepted, declined or waitlisted — or attended/absent once the webcast is over.</summary>
        public string Status { get; init; } = "";
        /// <summary>The answer given at <see cref="RespondedAt"/>: accepted (said yes, also when waitlisted) or declined.</summary>
        public string Answer { get; init; } = "";
        public DateTime RespondedAt { get; init; }
    }

    public static IEndpointRouteBuilder MapInvitationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webcasts/{webcastId:guid}/invitations").WithTags("Invitations")
            .RequireTenant().RequireAuthorization(Policies.CountyStaff);
        group.MapGet("/", List).WithName("ListInvitations").WithSummary("Inbjudningarna till en webbsändning");
        group.MapPost("/preview", Preview).WithName("PreviewInvitations").WithSummary("Räkna mottagarna innan du bjuder in");
        group.MapPost("/", Invite).WithName("CreateInvitations").WithSummary("Bjud in (bara nya personer läggs till)");
        app.MapGroup("/api/invitations").WithTags("Invitations").RequireTenant().RequireAuthorization(Policies.CountyStaff)
            .MapGet("/latest-answers", LatestAnswers).WithName("ListLatestAnswers").WithSummary("De senaste svaren (OSA) i länet, nyast först");
        return app;
    }

    sealed record Audience(string[] Municipalities, string[] RoleCategories, string[] Tags, string? Search)
    {
        /// <summary>The invitation list's own filter (Features/Invitees), so an audience means what the list shows.</summary>
        public InviteeFilter ToFilter(IReadOnlyList<string>? statuses = null) => new()
        {
            Municipalities = Municipalities, RoleCategories = RoleCategories, Tags = Tags, Search = Search, Statuses = statuses ?? [],
        };
    }

    static Audience Resolve(AudienceFilter f, WebcastRow w) =>
        f.Municipalities is null && f.RoleCategories is null && f.Tags is null && string.IsNullOrWhiteSpace(f.Search)
            ? new Audience(w.AudienceMunicipalities, w.AudienceRoleCategories, [], null)
            : new Audience(Clean(f.Municipalities), Clean(f.RoleCategories), Clean(f.Tags), string.IsNullOrWhiteSpace(f.Search) ? null : f.Search.Trim());

    static string[] Clean(string[]? values) =>
        (values ?? []).Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).Distinct().Order().ToArray();

    static readonly string CanBeInvited = InviteeRules.CanBeInvitedSql("v");

    static async Task<Results<Ok<AudiencePreview>, ProblemHttpResult>> Preview(Guid webcastId, AudienceFilter filter, Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var w = await WebcastsApi.FindAsync(uow, webcastId, forUpdate: false, ct);
        if (w is null) return WebcastsApi.WebcastNotFound();
        var a = Resolve(filter, w);
        var p = new DynamicParameters(new { webcastId });
        var where = a.ToFilter([InviteeStatus.Active, InviteeStatus.OptedOut, InviteeStatus.Erased]).ToSql("v", p);
        var counts = await uow.QuerySingleAsync<(long Matching, long Already, long Excluded)>($"""
            SELECT count(*) FILTER (WHERE {CanBeInvited}),
                   count(*) FILTER (WHERE {CanBeInvited}
                                    AND EXISTS (SELECT FROM invitations i WHERE i.webcast_id = @webcastId AND i.invitee_id = v.id)),
                   count(*) FILTER (WHERE v.status <> 'active')
            FROM invitees v WHERE {where}
            """, p, ct);
        return TypedResults.Ok(new AudiencePreview((int)counts.Matching, (int)counts.Already, (int)(counts.Matching - counts.Already),
            (int)counts.Excluded, a.Municipalities, a.RoleCategories, a.Tags, a.Search));
    }

    static async Task<Results<Ok<InvitationResult>, ProblemHttpResult>> Invite(Guid webcastId, AudienceFilter filter, Db db,
        AuditLog audit, InvitationMail mail, ITenantContextAccessor tenant, TimeProvider time, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var w = await WebcastsApi.FindAsync(uow, webcastId, forUpdate: true, ct);
        if (w is null) return WebcastsApi.WebcastNotFound();
        if (w.Status != "scheduled" || w.StartsAtUtc <= time.GetUtcNow().UtcDateTime)
            return Problems.Conflict("webcast_not_open", "Det går inte att bjuda in till den här webbsändningen",
                w.Status == "draft" ? "Publicera webbsändningen först." : "Den har redan börjat, är avslutad eller inställd.");
        var a = Resolve(filter, w);
        var p = new DynamicParameters(new { webcastId });
        var where = a.ToFilter().ToSql("v", p);
        var candidates = (await uow.QueryAsync<Guid>($"""
            SELECT v.id FROM invitees v WHERE {where} AND {CanBeInvited}
              AND NOT EXISTS (SELECT FROM invitations i WHERE i.webcast_id = @webcastId AND i.invitee_id = v.id)
            ORDER BY v.id
            """, p, ct)).ToArray();
        var matching = await uow.ExecuteScalarAsync<long>($"SELECT count(*) FROM invitees v WHERE {where} AND {CanBeInvited}", p, ct);

        var tokens = candidates.Select(_ => InvitationTokens.New()).ToArray();
        var created = (await uow.QueryAsync<Guid>("""
            INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token)
            SELECT @tenant, @webcastId, x.invitee_id, x.token FROM unnest(@candidates, @tokens) AS x(invitee_id, token)
            ON CONFLICT (webcast_id, invitee_id) DO NOTHING
            RETURNING id
            """, new { tenant = uow.RequiredTenantId, webcastId, candidates, tokens }, ct)).ToArray();

        var queued = 0;
        if (filter.Send ?? true)
        {
            var recipients = await uow.QueryAsync<InvitationMail.Recipient>($"""
                UPDATE invitations i SET status = 'sent', sent_at = now(), updated_at = now()
                FROM invitees v WHERE v.id = i.invitee_id AND i.id = ANY(@created)
                RETURNING {InvitationMail.RecipientColumns}
                """, new { created }, ct);
            foreach (var r in recipients)
            {
                if (await mail.EnqueueAsync(uow, "invitation", $"v{w.ScheduleVersion}", r, w, tenant.Tenant!.Slug, attachCalendar: false, ct)) queued++;
            }
            // Nudges for those who do not answer (Features/Email's reminder policy).
            await ReminderSchedule.RescheduleWebcastAsync(uow, webcastId, ct, time);
        }
        await audit.RecordAsync(uow, "invitations.created", $"webcast:{webcastId}",
            new { created = created.Length, queued, a.Municipalities, a.RoleCategories, a.Tags, search = a.Search is not null }, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new InvitationResult(created.Length, (int)matching - created.Length, queued));
    }

    static async Task<Results<Ok<InvitationListItem[]>, ProblemHttpResult>> List(Guid webcastId, Db db, string? status, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        if (await WebcastsApi.FindAsync(uow, webcastId, forUpdate: false, ct) is null) return WebcastsApi.WebcastNotFound();
        var rows = await uow.QueryAsync<InvitationListItem>("""
            SELECT i.id AS Id, i.invitee_id AS InviteeId, v.first_name AS FirstName, v.last_name AS LastName, v.email AS Email,
                   v.municipality_code AS MunicipalityCode, v.role_category AS RoleCategory, i.status AS Status,
                   i.responded_at AS RespondedAt, i.waitlisted_at AS WaitlistedAt, i.sent_at AS SentAt,
                   (SELECT max(a.minutes) FROM attendance a WHERE a.invitation_id = i.id) AS Minutes,
                   coalesce((SELECT array_agg(a.source ORDER BY a.source) FROM attendance a WHERE a.invitation_id = i.id), '{}') AS AttendanceSources
            FROM invitations i JOIN invitees v ON v.id = i.invitee_id
            WHERE i.webcast_id = @webcastId AND (@status::text IS NULL OR i.status = @status)
            ORDER BY v.last_name NULLS LAST, v.first_name NULLS LAST, i.id
            """, new { webcastId, status }, ct);
        return TypedResults.Ok(rows.ToArray());
    }

    /// <summary>The county's latest RSVP answers (<c>limit</c> 1–50, default 10); erased people are left out.</summary>
    static async Task<Ok<LatestAnswer[]>> LatestAnswers(int? limit, Db db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var rows = (await uow.QueryAsync<LatestAnswer>("""
            SELECT i.id AS InvitationId, i.webcast_id AS WebcastId, w.title AS WebcastTitle, v.id AS InviteeId,
                   v.first_name AS FirstName, v.last_name AS LastName, v.municipality_code AS MunicipalityCode,
                   i.status, i.responded_at AS RespondedAt,
                   -- answered before migration 0651: the status is the best guess (declined stays declined)
                   coalesce(i.answer, CASE WHEN i.status = 'declined' THEN 'declined' ELSE 'accepted' END) AS Answer
            FROM invitations i JOIN invitees v ON v.id = i.invitee_id JOIN webcasts w ON w.id = i.webcast_id
            WHERE i.responded_at IS NOT NULL AND v.status <> 'erased'
            ORDER BY i.responded_at DESC, i.id
            LIMIT @take
            """, new { take = Math.Clamp(limit ?? 10, 1, 50) }, ct)).ToArray();
        await uow.CommitAsync(ct);
        return TypedResults.Ok(rows);
    }
}
