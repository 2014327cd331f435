using System.Globalization;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>The five role categories of issue 5: code, Swedish and English label, and what an import may say.</summary>
public static class RoleCategories
{
    public sealed record Category(string Code, string Swedish, string English);

    public static readonly IReadOnlyList<Category> All =
    [
        new("fortroendevald", "Förtroendevald", "Elected official"),
        new("kommunledning", "Kommunledning/ledande tjänsteman", "Municipal management/senior official"),
        new("forvaltningschef", "Förvaltningschef (samhällsbyggnad)", "Head of department (community building)"),
        new("lansstyrelsens_ledning", "Länsstyrelsens ledning", "County board management"),
        new("ovrig", "Övrig", "Other"),
    ];

    public const string Default = "ovrig";

    static readonly Dictionary<string, string> ByText = BuildLookup();

    static Dictionary<string, string> BuildLookup()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string code, params string[] texts)
        {
            foreach (var t in texts) d[Key(t)] = code;
        }
        foreach (var c in All) Add(c.Code, c.Code, c.Swedish, c.English);
        Add("fortroendevald", "förtroendevalda", "politiker", "politiskt förtroendevald", "elected", "politician");
        Add("kommunledning", "kommunledning", "ledande tjänsteman", "ledande tjänstemän", "kommunledningen", "senior official", "municipal management");
        Add("forvaltningschef", "förvaltningschef", "förvaltningschefer", "förvaltningschef samhällsbyggnad", "head of department");
        Add("lansstyrelsens_ledning", "länsstyrelsen ledning", "länsstyrelseledning", "county board management");
        Add("ovrig", "övriga", "annan", "other");
        return d;
    }

    static string Key(string s) => string.Join(' ', s.Trim().ToLower(CultureInfo.InvariantCulture)
        .Replace('_', ' ').Replace('/', ' ').Replace('(', ' ').Replace(')', ' ').Replace(',', ' ')
        .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static bool IsCode(string? code) => code is not null && All.Any(c => c.Code == code);

    /// <summary>The code for a code or label (Swedish or English, any case); null when unknown.</summary>
    public static string? Parse(string? text) => string.IsNullOrWhiteSpace(text) ? null : ByText.GetValueOrDefault(Key(text));

    public static string Swedish(string code) => All.FirstOrDefault(c => c.Code == code)?.Swedish ?? code;
}
