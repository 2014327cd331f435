using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Reference;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Invitees;

public static partial class InviteesApi
{
    public sealed record InviteePage(IReadOnlyList<Invitee> Items, string? NextCursor, long? Total, InviteeCounts? Counts);

    /// <summary>Counts of the filtered list per value of each filter (each ignoring its own dimension, as facets do).</summary>
    public sealed record InviteeCounts(
        IReadOnlyDictionary<string, long> Status,
        IReadOnlyDictionary<string, long> RoleCategory,
        IReadOnlyDictionary<string, long> Municipality,
        IReadOnlyDictionary<string, long> Tag);

    public sealed record RoleCategoryInfo(string Code, string Swedish, string English);

    public static IEndpointRouteBuilder MapInviteeEndpoints(this IEndpointRouteBuilder app)
    {
        var members = app.MapGroup("/api/invitees").WithTags("Invitees").RequireTenant().RequireAuthorization(Policies.TenantMember);
        members.MapGet("/", List).WithName("ListInvitees").WithSummary("Inbjudningslistan: sök, filtrera, sortera, bläddra");
        members.MapGet("/role-categories", ListRoleCategories).WithName("ListRoleCategories").WithSummary("Rollkategorierna");
        members.MapGet("/{id}", Get).WithName("GetInvitee").WithSummary("En inbjuden");
        members.MapPost("/", Create).WithName("CreateInvitee").WithSummary("Lägg till (kommunanvändare: nominera) en inbjuden");
        members.MapPut("/{id}", Update).WithName("UpdateInvitee").WithSummary("Rätta en inbjuden");

        var staff = app.MapGroup("/api/invitees").WithTags("Invitees").RequireTenant().RequireAuthorization(Policies.CountyStaff);
        staff.MapDelete("/{id}", Erase).WithName("EraseInvitee").WithSummary("Radera personuppgifterna (antalen består)");
        staff.MapPost("/{id}/opt-out", OptOut).WithName("OptOutInvitee").WithSummary("Registrera att personen avböjt e-post");
        MapImportExportEndpoints(staff);
        MapPrivacyEndpoints(app);
        return app;
    }

    static Ok<RoleCategoryInfo[]> ListRoleCategories() =>
        TypedResults.Ok(RoleCategories.All.Select(c => new RoleCategoryInfo(c.Code, c.Swedish, c.English)).ToArray());

    // ---------------------------------------------------------------------------------------------- list

    internal sealed record SortOrder(string Name, string[] Keys, Func<Invitee, object[]> Values);

    internal static readonly IReadOnlyDictionary<string, SortOrder> Sorts = new Dictionary<string, SortOrder>
    {
        ["name"] = new("name", ["coalesce(i.last_name, '') COLLATE sv_icu", "coalesce(i.first_name, '') COLLATE sv_icu"],
            i => [i.LastName ?? "", i.FirstName ?? ""]),
        ["email"] = new("email", ["coalesce(i.email_normalized, '') COLLATE \"C\""], i => [EmailAddress.Normalize(i.Email) ?? ""]),
        ["created"] = new("created", ["i.created_at"], i => [i.CreatedAt]),
        ["updated"] = new("updated", ["i.updated_at"], i => [i.UpdatedAt]),
    };

    internal static InviteeFilter FilterFrom(HttpRequest request, CurrentUser user) => new()
    {
        Search = request.Query["q"].ToString() is { Length: > 0 } q ? q : null,
        Municipalities = Values(request, "municipality"),
        RoleCategories = Values(request, "roleCategory"),
        Tags = Values(request, "tag"),
        Statuses = Values(request, "status"),
        Source = request.Query["source"].ToString() is { Length: > 0 } s ? s : null,
        NoLongerInOffice = bool.TryParse(request.Query["noLongerInOffice"], out var n) ? n : null,
        RestrictedToMunicipality = user.RestrictedToMunicipality,
    };

    /// <summary>Repeated (<c>?tag=a&amp;tag=b</c>) or comma-separated (<c>?tag=a,b</c>) values.</summary>
    static string[] Values(HttpRequest request, string name) => request.Query[name]
        .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();

    /// <summary>
    /// Query: <c>q</c>, <c>municipality</c> (code or <c>lansstyrelsen</c>), <c>roleCategory</c>, <c>tag</c>, <c>status</c>,
    /// <c>source</c>, <c>noLongerInOffice</c> (repeat or comma-separate values); <c>sort</c> = name|email|created|updated,
    /// <c>dir</c> = asc|desc; <c>limit</c> ≤ 200; <c>cursor</c> from the previous page; <c>counts</c>=false to skip counting.
    /// </summary>
    static async Task<Results<Ok<InviteePage>, ValidationProblem>> List(HttpRequest request, Db db, CurrentUser user,
        string? sort, string? dir, string? cursor, int? limit, bool? counts, CancellationToken ct)
    {
        var filter = FilterFrom(request, user);
        var errors = filter.Validate();
        if (!Sorts.TryGetValue(sort ?? "name", out var order)) errors["sort"] = ["Sortera på name, email, created eller updated."];
        var descending = dir?.ToLowerInvariant() == "desc";
        if (dir is not null && dir.ToLowerInvariant() is not ("asc" or "desc")) errors["dir"] = ["Ange asc eller desc."];
        object[]? after = null;
        if (cursor is not null && order is not null && (after = DecodeCursor(cursor, order)) is null) errors["cursor"] = ["Ogiltig fortsättningsmarkör."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var take = Math.Clamp(limit ?? 50, 1, 200);
        var p = new DynamicParameters();
        var where = filter.ToSql("i", p);
        var keys = order!.Keys.Append("i.id").ToArray();
        var cmp = descending ? "<" : ">";
        var keyset = "";
        if (after is not null)
        {
            var names = after.Select((_, k) => $"@k{k}").ToArray();
            keyset = $" AND ({string.Join(", ", keys)}) {cmp} ({string.Join(", ", names)})";
            for (var k = 0; k < after.Length; k++) p.Add($"k{k}", after[k]);
        }
        p.Add("take", take + 1);
        var direction = descending ? " DESC" : "";

        await using var uow = await db.BeginAsync(ct);
        var rows = (await uow.QueryAsync<Invitee>($"""
            SELECT {Invitee.Columns} FROM {Invitee.From}
            WHERE {where}{keyset}
            ORDER BY {string.Join(", ", keys.Select(k => k + direction))}
            LIMIT @take
            """, p, ct)).ToList();
        string? next = null;
        if (rows.Count > take)
        {
            rows.RemoveAt(take);
            var last = rows[^1];
            next = EncodeCursor(order.Values(last).Append(last.Id).ToArray());
        }

        await ShowNominatorsAsync(uow, rows, user, ct);
        long? total = null;
        InviteeCounts? facetCounts = null;
        if (counts != false)
        {
            (total, facetCounts) = await CountAsync(uow, filter, ct);
        }
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new InviteePage(rows, next, total, facetCounts));
    }

    internal static async Task<(long Total, InviteeCounts Counts)> CountAsync(UnitOfWork uow, InviteeFilter filter, CancellationToken ct)
    {
        var p = new DynamicParameters();
        var all = filter.ToSql("i", p);
        var status = filter.ToSql("i", p, InviteeFilter.Facet.Status);
        var role = filter.ToSql("i", p, InviteeFilter.Facet.RoleCategory);
        var municipality = filter.ToSql("i", p, InviteeFilter.Facet.Municipality);
        var tag = filter.ToSql("i", p, InviteeFilter.Facet.Tag);
        using var grid = await uow.QueryMultipleAsync($"""
            SELECT count(*) FROM invitees i WHERE {all};
            SELECT i.status AS Key, count(*) AS Count FROM invitees i WHERE {status} GROUP BY 1;
            SELECT i.role_category AS Key, count(*) AS Count FROM invitees i WHERE {role} GROUP BY 1;
            SELECT coalesce(i.municipality_code, '{InviteeFilter.CountyBoard}') AS Key, count(*) AS Count FROM invitees i WHERE {municipality} GROUP BY 1;
            SELECT t AS Key, count(*) AS Count FROM invitees i CROSS JOIN LATERAL unnest(i.tags) t WHERE {tag}
              GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100;
            """, p, ct);
        var total = await grid.ReadSingleAsync<long>();
        static async Task<IReadOnlyDictionary<string, long>> Read(SqlMapper.GridReader g) =>
            (await g.ReadAsync<(string Key, long Count)>()).ToDictionary(r => r.Key, r => r.Count);
        return (total, new InviteeCounts(await Read(grid), await Read(grid), await Read(grid), await Read(grid)));
    }

    static string EncodeCursor(object[] values) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(values.Select(v => v switch
        {
            DateTime d => d.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => v.ToString()!,
        }).ToArray())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static object[]? DecodeCursor(string cursor, SortOrder order)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var parts = JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            if (parts is null || parts.Length != order.Keys.Length + 1 || !Guid.TryParse(parts[^1], out var id)) return null;
            var values = new object[parts.Length];
            for (var k = 0; k < order.Keys.Length; k++)
            {
                values[k] = order.Name is "created" or "updated"
                    ? new DateTime(long.Parse(parts[k], System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)
                    : parts[k];
            }
            values[^1] = id;
            return values;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------- one

    static async Task<Invitee?> LoadAsync(UnitOfWork uow, Guid id, string? restrictedTo, CancellationToken ct, bool forUpdate = false) =>
        await uow.QuerySingleOrDefaultAsync<Invitee>($"""
            SELECT {Invitee.Columns} FROM {Invitee.From}
            WHERE i.id = @id AND (@restrictedTo::text IS NULL OR i.municipality_code = @restrictedTo)
            {(forUpdate ? "FOR UPDATE OF i" : "")}
            """, new { id, restrictedTo }, ct);

    /// <summary>
    /// Who nominated: county staff get the nominator's display name (never the address) from the tenant's own accounts
    /// ("AspNetUsers" is global, docs/decisions/0011: the tenant is a column, checked here); a MunicipalUser sees
    /// neither another user's id nor a name — only their own id on their own nominations.
    /// </summary>
    internal static async Task ShowNominatorsAsync(UnitOfWork uow, IReadOnlyCollection<Invitee> invitees, CurrentUser user, CancellationToken ct)
    {
        if (user.RestrictedToMunicipality is not null)
        {
            foreach (var i in invitees)
            {
                if (i.NominatedBy != user.Id) i.NominatedBy = null;
                i.NominatedByName = null;
            }
            return;
        }
        var ids = invitees.Select(i => i.NominatedBy).OfType<string>().Distinct().ToArray();
        if (ids.Length == 0) return;
        var names = (await uow.QueryAsync<(string Id, string Name)>("""
            SELECT u."Id", u."DisplayName" FROM "AspNetUsers" u
            WHERE u."Id" = ANY(@ids) AND u."TenantId" = @tenantId AND u."DisplayName" IS NOT NULL
            """, new { ids, tenantId = uow.RequiredTenantId }, ct)).ToDictionary(r => r.Id, r => r.Name);
        foreach (var i in invitees)
            i.NominatedByName = i.NominatedBy is { } id && names.TryGetValue(id, out var name) ? name : null;
    }

    static async Task<Results<Ok<Invitee>, ProblemHttpResult>> Get([FromRoute(Name = "id")] string idText, Db db, CurrentUser user, CancellationToken ct)
    {
        if (!Guid.TryParse(idText, out var id)) return Problems.NotFound("Personen finns inte");
        await using var uow = await db.BeginAsync(ct);
        var invitee = await LoadAsync(uow, id, user.RestrictedToMunicipality, ct);
        if (invitee is null) return Problems.NotFound("Personen finns inte");
        await ShowNominatorsAsync(uow, [invitee], user, ct);
        return TypedResults.Ok(invitee);
    }

    static async Task<Results<Created<Invitee>, ValidationProblem, ProblemHttpResult>> Create(InviteeInput input, Db db,
        CurrentUser user, AuditLog audit, PersonKeys personKeys, ReferenceData reference, CancellationToken ct)
    {
        var municipal = user.RestrictedToMunicipality;
        if (municipal is not null)
        {
            if (input.MunicipalityCode is { Length: > 0 } m && m.Trim() != municipal)
                return Problems.Validation(new Dictionary<string, string[]> { ["municipalityCode"] = ["Du kan bara nominera personer i din egen kommun."] });
            input = input with { MunicipalityCode = municipal };
        }

        await using var uow = await db.BeginAsync(ct);
        var municipalities = await MunicipalityLookup.LoadAsync(reference, uow);
        var (clean, issues) = InviteeValidation.Validate(input, municipalities.InCounty);
        if (clean is null) return Problems.Validation(InviteeValidation.ToProblemErrors(issues));

        var source = municipal is null ? "manual" : "nomination";
        Guid id;
        try
        {
            id = await uow.QuerySingleAsync<Guid>("""
                INSERT INTO invitees (tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code,
                                      role_category, title, phone, tags, notes, source, nominated_by, no_longer_in_office)
                VALUES (@tenantId, @FirstName, @LastName, @Email, @EmailNormalized, @personKey, @MunicipalityCode,
                        @RoleCategory, @Title, @Phone, @Tags, @Notes, @source, @nominatedBy, @noLongerInOffice)
                RETURNING id
                """, new
            {
                tenantId = uow.RequiredTenantId,
                clean.FirstName, clean.LastName, clean.Email, clean.EmailNormalized,
                personKey = personKeys.For(clean.EmailNormalized),
                clean.MunicipalityCode, clean.RoleCategory, clean.Title, clean.Phone, clean.Tags, clean.Notes,
                source,
                nominatedBy = municipal is null ? null : user.Id,
                noLongerInOffice = input.NoLongerInOffice ?? false,
            }, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problems.Conflict("email_taken", "E-postadressen finns redan i listan",
                "Det finns redan en person med den e-postadressen i länets lista.");
        }
        await audit.RecordAsync(uow, municipal is null ? "invitee.created" : "invitee.nominated", $"invitee:{id}", new { source }, ct);
        var created = (await LoadAsync(uow, id, null, ct))!;
        await ShowNominatorsAsync(uow, [created], user, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Created($"api/invitees/{id}", created);
    }

    static async Task<Results<Ok<Invitee>, ValidationProblem, ProblemHttpResult>> Update([FromRoute(Name = "id")] string idText, InviteeInput input, Db db,
        CurrentUser user, AuditLog audit, PersonKeys personKeys, ReferenceData reference, CancellationToken ct)
    {
        if (!Guid.TryParse(idText, out var id)) return Problems.NotFound("Personen finns inte");
        var municipal = user.RestrictedToMunicipality;
        await using var uow = await db.BeginAsync(ct);
        var before = await LoadAsync(uow, id, municipal, ct, forUpdate: true);
        if (before is null) return Problems.NotFound("Personen finns inte");
        if (before.Status == InviteeStatus.Erased)
            return Problems.Conflict("erased", "Personen är raderad", "Uppgifterna om personen har raderats och kan inte ändras.");
        if (municipal is not null)
        {
            if (input.MunicipalityCode is { Length: > 0 } m && m.Trim() != municipal)
                return Problems.Validation(new Dictionary<string, string[]> { ["municipalityCode"] = ["Du kan bara ha personer i din egen kommun."] });
            input = input with { MunicipalityCode = municipal };
        }

        var municipalities = await MunicipalityLookup.LoadAsync(reference, uow);
        var (clean, issues) = InviteeValidation.Validate(input, municipalities.InCounty);
        if (clean is null) return Problems.Validation(InviteeValidation.ToProblemErrors(issues));
        var noLongerInOffice = input.NoLongerInOffice ?? before.NoLongerInOffice;

        var changed = new List<string>();
        void Check(string field, object? a, object? b) { if (!Equals(a, b)) changed.Add(field); }
        Check("firstName", before.FirstName, clean.FirstName);
        Check("lastName", before.LastName, clean.LastName);
        Check("email", before.Email, clean.Email);
        Check("municipalityCode", before.MunicipalityCode, clean.MunicipalityCode);
        Check("roleCategory", before.RoleCategory, clean.RoleCategory);
        Check("title", before.Title, clean.Title);
        Check("phone", before.Phone, clean.Phone);
        if (!before.Tags.SequenceEqual(clean.Tags)) changed.Add("tags");
        Check("notes", before.Notes, clean.Notes);
        Check("noLongerInOffice", before.NoLongerInOffice, noLongerInOffice);
        if (changed.Count == 0)
        {
            await ShowNominatorsAsync(uow, [before], user, ct);
            return TypedResults.Ok(before);
        }

        try
        {
            await uow.ExecuteAsync("""
                UPDATE invitees SET first_name = @FirstName, last_name = @LastName, email = @Email, email_normalized = @EmailNormalized,
                       person_key = @personKey, municipality_code = @MunicipalityCode, role_category = @RoleCategory, title = @Title,
                       phone = @Phone, tags = @Tags, notes = @Notes, no_longer_in_office = @noLongerInOffice, updated_at = now()
                WHERE id = @id
                """, new
            {
                id,
                clean.FirstName, clean.LastName, clean.Email, clean.EmailNormalized,
                personKey = personKeys.For(clean.EmailNormalized),
                clean.MunicipalityCode, clean.RoleCategory, clean.Title, clean.Phone, clean.Tags, clean.Notes,
                noLongerInOffice,
            }, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problems.Conflict("email_taken", "E-postadressen finns redan i listan",
                "Det finns redan en person med den e-postadressen i länets lista.");
        }
        var action = changed is ["noLongerInOffice"] && noLongerInOffice ? "invitee.no_longer_in_office" : "invitee.updated";
        await audit.RecordAsync(uow, action, $"invitee:{id}", new { fields = changed }, ct);
        var after = (await LoadAsync(uow, id, null, ct))!;
        await ShowNominatorsAsync(uow, [after], user, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Erase([FromRoute(Name = "id")] string idText, Db db, AuditLog audit, CancellationToken ct)
    {
        if (!Guid.TryParse(idText, out var id)) return Problems.NotFound("Personen finns inte");
        await using var uow = await db.BeginAsync(ct);
        var erased = await InviteeErasure.EraseAsync(uow, id, ct);
        if (erased is null) return Problems.NotFound("Personen finns inte");
        if (erased == true) await audit.RecordAsync(uow, "invitee.erased", $"invitee:{id}", null, ct);
        await uow.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> OptOut([FromRoute(Name = "id")] string idText, Db db, CurrentUser user, CancellationToken ct)
    {
        if (!Guid.TryParse(idText, out var id)) return Problems.NotFound("Personen finns inte");
        await using var uow = await db.BeginAsync(ct);
        if (!await InviteeOptOut.OptOutAsync(uow, id, ct, user.Id ?? "staff")) return Problems.NotFound("Personen finns inte");
        await uow.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
