using System.Globalization;

namespace VagaVaraDigital.Api.Features.Invitees.Import;

/// <summary>
/// Which column of the file holds which field: automatic from Swedish and English headers, overridden per
/// header by a manual mapping (<c>{"Header": "field"}</c>, or <c>"ignore"</c>).
/// </summary>
public static class ColumnMapping
{
    public const string FirstName = "firstName", LastName = "lastName", FullName = "fullName", Email = "email",
        Municipality = "municipality", MunicipalityCode = "municipalityCode", RoleCategory = "roleCategory", Title = "title",
        Phone = "phone", Tags = "tags", Notes = "notes", Ignore = "ignore";

    public static readonly string[] Fields = [FirstName, LastName, FullName, Email, Municipality, MunicipalityCode, RoleCategory, Title, Phone, Tags, Notes];

    static readonly Dictionary<string, string> Known = Build();

    static Dictionary<string, string> Build()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string field, params string[] headers)
        {
            foreach (var h in headers) d[Key(h)] = field;
        }
        Add(FirstName, "förnamn", "fornamn", "tilltalsnamn", "first name", "firstname", "given name", "forename");
        Add(LastName, "efternamn", "last name", "lastname", "surname", "family name");
        Add(FullName, "namn", "fullständigt namn", "för- och efternamn", "name", "full name", "fullname");
        Add(Email, "e-post", "epost", "e-postadress", "epostadress", "e-mail", "email", "mail", "mejl", "mejladress",
            "e-mail address", "email address", "mailadress");
        Add(Municipality, "kommun", "kommunnamn", "organisation", "municipality", "organization", "organisation name");
        Add(MunicipalityCode, "kommunkod", "kommun-kod", "kommunnummer", "kommunnr", "municipality code", "municipality id", "kod");
        Add(RoleCategory, "roll", "rollkategori", "kategori", "målgrupp", "role", "role category", "category");
        Add(Title, "titel", "befattning", "yrkestitel", "tjänst", "title", "job title", "position");
        Add(Phone, "telefon", "telefonnummer", "tel", "tfn", "mobil", "mobilnummer", "phone", "phone number", "telephone", "mobile");
        Add(Tags, "taggar", "tagg", "etiketter", "tags", "tag", "labels");
        Add(Notes, "anteckningar", "anteckning", "kommentar", "kommentarer", "övrigt", "notes", "note", "comment", "comments");
        return d;
    }

    /// <summary>A header as compared: trimmed, lower-case, inner space collapsed, trailing colon or asterisk dropped.</summary>
    public static string Key(string header) => string.Join(' ', header.Replace("\uFEFF", "").Trim().TrimEnd(':', '*', ' ')
        .ToLower(CultureInfo.GetCultureInfo("sv-SE")).Replace('_', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public sealed record Column(int Index, string Header, string? Field);

    /// <summary>Maps the header row; throws <see cref="ImportFileException"/> when the mapping cannot work.</summary>
    public static IReadOnlyList<Column> Map(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? manual)
    {
        var manualByKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (header, field) in manual ?? new Dictionary<string, string>())
        {
            if (field != Ignore && !Fields.Contains(field))
                throw new ImportFileException("invalid_mapping", $"Okänt fält i mappningen: {field}. Tillåtna: {string.Join(", ", Fields)}, ignore.",
                    $"Unknown field in the mapping: {field}. Allowed: {string.Join(", ", Fields)}, ignore.");
            manualByKey[Key(header)] = field;
        }

        var columns = new List<Column>();
        for (var i = 0; i < headers.Count; i++)
        {
            var key = Key(headers[i]);
            string? field = manualByKey.TryGetValue(key, out var m) ? (m == Ignore ? null : m) : Known.GetValueOrDefault(key);
            columns.Add(new Column(i, headers[i].Trim(), field));
        }

        var twice = columns.Where(c => c.Field is not null).GroupBy(c => c.Field).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            var names = string.Join(", ", twice.Select(c => $"\"{c.Header}\""));
            throw new ImportFileException("duplicate_columns", $"Flera kolumner ({names}) betyder samma sak ({twice.Key}). Ange en mappning.",
                $"Several columns ({names}) mean the same thing ({twice.Key}). Give a mapping.");
        }
        var fields = columns.Select(c => c.Field).ToHashSet();
        if (!fields.Contains(Email))
            throw new ImportFileException("missing_columns", "Filen saknar en kolumn för e-post (till exempel \"E-post\"). Ange en mappning för kolumnerna.",
                "The file has no e-mail column (for example \"Email\"). Give a mapping for the columns.");
        if (!fields.Contains(FullName) && !(fields.Contains(FirstName) && fields.Contains(LastName)))
            throw new ImportFileException("missing_columns", "Filen saknar kolumner för namn (\"Förnamn\" och \"Efternamn\", eller \"Namn\"). Ange en mappning.",
                "The file has no name columns (\"First name\" and \"Last name\", or \"Name\"). Give a mapping.");
        return columns;
    }
}
