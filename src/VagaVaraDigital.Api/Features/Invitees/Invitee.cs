namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>An invitee as the API shows it (a class: Dapper fills the text[] through setters).</summary>
public sealed class Invitee
{
    public Guid Id { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    /// <summary>Null: the county board itself.</summary>
    public string? MunicipalityCode { get; init; }
    public string? MunicipalityName { get; init; }
    public required string RoleCategory { get; init; }
    public string? Title { get; init; }
    public string? Phone { get; init; }
    public string[] Tags { get; init; } = [];
    public string? Notes { get; init; }
    /// <summary>manual, import or nomination.</summary>
    public required string Source { get; init; }
    public Guid? ImportBatchId { get; init; }
    /// <summary>
    /// User id of the MunicipalUser who nominated the invitee. County staff see it; a MunicipalUser only when it is
    /// their own id (<see cref="InviteesApi.ShowNominatorsAsync"/>).
    /// </summary>
    public string? NominatedBy { get; set; }
    /// <summary>The nominator's display name (never the e-mail address), for county staff only; null when unknown.</summary>
    public string? NominatedByName { get; set; }
    public bool NoLongerInOffice { get; init; }
    /// <summary>active, opted_out or erased.</summary>
    public required string Status { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? OptedOutAt { get; init; }
    public DateTime? ErasedAt { get; init; }

    internal const string Columns = """
        i.id, i.first_name AS FirstName, i.last_name AS LastName, i.email, i.municipality_code AS MunicipalityCode,
        m.name AS MunicipalityName, i.role_category AS RoleCategory, i.title, i.phone, i.tags, i.notes, i.source,
        i.import_batch_id AS ImportBatchId, i.nominated_by AS NominatedBy, i.no_longer_in_office AS NoLongerInOffice,
        i.status, i.created_at AS CreatedAt, i.updated_at AS UpdatedAt, i.opted_out_at AS OptedOutAt, i.erased_at AS ErasedAt
        """;

    internal const string From = "invitees i LEFT JOIN municipalities m ON m.code = i.municipality_code";
}

/// <summary>What a person enters for an invitee (create and update).</summary>
public sealed record InviteeInput(
    string? FirstName,
    string? LastName,
    string? Email,
    string? MunicipalityCode,
    string? RoleCategory,
    string? Title,
    string? Phone,
    string[]? Tags,
    string? Notes,
    bool? NoLongerInOffice);

/// <summary>One problem with one field, in Swedish and English (the import report shows both).</summary>
public sealed record FieldIssue(string Field, string Swedish, string English);

/// <summary>A valid, cleaned invitee ready to be written.</summary>
public sealed record CleanInvitee(
    string FirstName, string LastName, string Email, string EmailNormalized, string? MunicipalityCode, string RoleCategory,
    string? Title, string? Phone, string[] Tags, string? Notes);

/// <summary>The field rules, shared by the API and the import.</summary>
public static class InviteeValidation
{
    public const int MaxName = 100, MaxTitle = 200, MaxPhone = 40, MaxNotes = 2000, MaxTag = 50, MaxTags = 20;

    /// <param name="municipalityInCounty">Whether a municipality code belongs to the tenant's county.</param>
    public static (CleanInvitee? Value, List<FieldIssue> Issues) Validate(InviteeInput input, Func<string, bool?> municipalityInCounty)
    {
        var issues = new List<FieldIssue>();
        var first = Text(input.FirstName);
        var last = Text(input.LastName);
        if (first is null) issues.Add(new("firstName", "Förnamn saknas.", "First name is missing."));
        else if (first.Length > MaxName) issues.Add(TooLong("firstName", "Förnamnet", "The first name", MaxName));
        if (last is null) issues.Add(new("lastName", "Efternamn saknas.", "Last name is missing."));
        else if (last.Length > MaxName) issues.Add(TooLong("lastName", "Efternamnet", "The last name", MaxName));

        var email = Text(input.Email);
        string? normalized = null;
        if (email is null) issues.Add(new("email", "E-postadress saknas.", "E-mail address is missing."));
        else if (email.Length > EmailAddress.MaxLength) issues.Add(TooLong("email", "E-postadressen", "The e-mail address", EmailAddress.MaxLength));
        else if ((normalized = EmailAddress.Normalize(email)) is null)
            issues.Add(new("email", "Ogiltig e-postadress.", "Invalid e-mail address."));

        var municipality = Text(input.MunicipalityCode);
        if (municipality is not null)
        {
            switch (municipalityInCounty(municipality))
            {
                case null: issues.Add(new("municipalityCode", "Okänd kommun.", "Unknown municipality.")); break;
                case false: issues.Add(new("municipalityCode", "Kommunen ligger inte i länet.", "The municipality is not in the county.")); break;
            }
        }

        var role = Text(input.RoleCategory) ?? RoleCategories.Default;
        if (!RoleCategories.IsCode(role)) issues.Add(new("roleCategory", "Okänd rollkategori.", "Unknown role category."));

        var title = Text(input.Title);
        if (title is { Length: > MaxTitle }) issues.Add(TooLong("title", "Titeln", "The title", MaxTitle));
        var phone = Text(input.Phone);
        if (phone is { Length: > MaxPhone }) issues.Add(TooLong("phone", "Telefonnumret", "The phone number", MaxPhone));
        else if (phone is not null && !phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '/'))
            issues.Add(new("phone", "Telefonnumret får bara innehålla siffror, mellanslag och + - ( ) /.", "The phone number may only contain digits, spaces and + - ( ) /."));
        var notes = Text(input.Notes);
        if (notes is { Length: > MaxNotes }) issues.Add(TooLong("notes", "Anteckningen", "The note", MaxNotes));
        var tags = (input.Tags ?? []).Select(Text).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (tags.Length > MaxTags) issues.Add(new("tags", $"Högst {MaxTags} taggar.", $"At most {MaxTags} tags."));
        if (tags.Any(t => t.Length > MaxTag)) issues.Add(TooLong("tags", "En tagg", "A tag", MaxTag));

        if (issues.Count > 0) return (null, issues);
        return (new CleanInvitee(first!, last!, email!, normalized!, municipality, role, title, phone, tags, notes), issues);
    }

    static FieldIssue TooLong(string field, string sv, string en, int max) =>
        new(field, $"{sv} är för lång (högst {max} tecken).", $"{en} is too long (at most {max} characters).");

    static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public static Dictionary<string, string[]> ToProblemErrors(IEnumerable<FieldIssue> issues) =>
        issues.GroupBy(i => i.Field).ToDictionary(g => g.Key, g => g.Select(i => i.Swedish).ToArray());
}
