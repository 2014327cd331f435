using System.Globalization;
using System.Text;
using Dapper;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// The invitee list's filter, reusable by other features (webcast audiences): build it, then put
/// <see cref="ToSql"/> into a <c>WHERE</c> over <c>invitees</c>. Empty arrays mean "any".
/// </summary>
/// <example>
/// <code>
/// var p = new DynamicParameters();
/// var where = new InviteeFilter { Municipalities = ["0380"], RoleCategories = ["fortroendevald"] }.ToSql("i", p);
/// var ids = await uow.QueryAsync&lt;Guid&gt;($"SELECT i.id FROM invitees i WHERE {where} AND {InviteeRules.CanBeInvitedSql("i")}", p);
/// </code>
/// </example>
public sealed record InviteeFilter
{
    /// <summary>Municipality value meaning "the county board itself" (no municipality).</summary>
    public const string CountyBoard = "lansstyrelsen";

    /// <summary>Free text: every word must occur in first name, last name, e-mail or title (any case).</summary>
    public string? Search { get; init; }

    /// <summary>Municipality codes, or <see cref="CountyBoard"/>.</summary>
    public IReadOnlyList<string> Municipalities { get; init; } = [];

    public IReadOnlyList<string> RoleCategories { get; init; } = [];

    /// <summary>Invitees carrying any of these tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Statuses; empty means active and opted out (erased rows are anonymous and hidden unless asked for).</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [];

    /// <summary>manual, import or nomination.</summary>
    public string? Source { get; init; }

    public bool? NoLongerInOffice { get; init; }

    /// <summary>Set by the API for a MunicipalUser: nothing outside this municipality.</summary>
    public string? RestrictedToMunicipality { get; init; }

    public enum Facet { None, Status, RoleCategory, Municipality, Tag }

    /// <summary>The condition (never empty) with its parameters added to <paramref name="p"/> (names start with <c>f_</c>).</summary>
    /// <param name="alias">The alias of <c>invitees</c> in the query.</param>
    /// <param name="without">Leave out one dimension (for counts per value of that dimension).</param>
    public string ToSql(string alias, DynamicParameters p, Facet without = Facet.None)
    {
        var sql = new StringBuilder("TRUE");
        var a = alias;
        if (RestrictedToMunicipality is not null)
        {
            sql.Append($" AND {a}.municipality_code = @f_restricted");
            p.Add("f_restricted", RestrictedToMunicipality);
        }
        var words = SearchWords(Search);
        for (var i = 0; i < words.Count; i++)
        {
            sql.Append($" AND {a}.search_text LIKE @f_q{i}");
            p.Add($"f_q{i}", "%" + EscapeLike(words[i]) + "%");
        }
        if (without != Facet.Municipality && Municipalities.Count > 0)
        {
            var codes = Municipalities.Where(m => m != CountyBoard).ToArray();
            var board = Municipalities.Contains(CountyBoard);
            sql.Append(board
                ? $" AND ({a}.municipality_code IS NULL OR {a}.municipality_code = ANY(@f_municipalities))"
                : $" AND {a}.municipality_code = ANY(@f_municipalities)");
            p.Add("f_municipalities", codes);
        }
        if (without != Facet.RoleCategory && RoleCategories.Count > 0)
        {
            sql.Append($" AND {a}.role_category = ANY(@f_roles)");
            p.Add("f_roles", RoleCategories.ToArray());
        }
        if (without != Facet.Tag && Tags.Count > 0)
        {
            sql.Append($" AND {a}.tags && @f_tags");
            p.Add("f_tags", Tags.ToArray());
        }
        if (without != Facet.Status)
        {
            if (Statuses.Count > 0)
            {
                sql.Append($" AND {a}.status = ANY(@f_statuses)");
                p.Add("f_statuses", Statuses.ToArray());
            }
            else
            {
                sql.Append($" AND {a}.status <> 'erased'");
            }
        }
        if (Source is not null)
        {
            sql.Append($" AND {a}.source = @f_source");
            p.Add("f_source", Source);
        }
        if (NoLongerInOffice is not null)
        {
            sql.Append($" AND {a}.no_longer_in_office = @f_nlio");
            p.Add("f_nlio", NoLongerInOffice.Value);
        }
        return sql.ToString();
    }

    /// <summary>Lower-cased the way the database lower-cases <c>search_text</c> (Swedish rules).</summary>
    public static IReadOnlyList<string> SearchWords(string? search) => string.IsNullOrWhiteSpace(search)
        ? []
        : search.Trim().ToLower(CultureInfo.GetCultureInfo("sv-SE")).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Take(8).ToArray();

    static string EscapeLike(string s) => s.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    /// <summary>What a filter may hold; the messages are Swedish (API problems).</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Search is { Length: > 200 }) errors["q"] = ["Söktexten får vara högst 200 tecken."];
        if (Municipalities.Any(m => m != CountyBoard && !(m.Length == 4 && m.All(char.IsAsciiDigit))))
            errors["municipality"] = ["Ange kommunkoder med fyra siffror, eller lansstyrelsen."];
        if (RoleCategories.Any(r => !global::VagaVaraDigital.Api.Features.Invitees.RoleCategories.IsCode(r))) errors["roleCategory"] = ["Okänd rollkategori."];
        if (Statuses.Any(s => !InviteeStatus.All.Contains(s))) errors["status"] = ["Okänd status."];
        if (Source is not null && Source is not ("manual" or "import" or "nomination")) errors["source"] = ["Okänd källa."];
        if (Tags.Any(t => t.Length > 50)) errors["tag"] = ["En tagg får vara högst 50 tecken."];
        return errors;
    }
}
