using System.Globalization;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Reference;
using MunicipalityRow = VagaVaraDigital.Api.Features.Reference.ReferenceData.MunicipalityRow;

namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>Sweden's municipalities as the invitee rules need them: by code or by name, and whether in the tenant's county.</summary>
public sealed class MunicipalityLookup
{
    readonly Dictionary<string, MunicipalityRow> _byCode;
    readonly Dictionary<string, MunicipalityRow[]> _byName;
    readonly string _county;

    MunicipalityLookup(IEnumerable<MunicipalityRow> rows, string county)
    {
        var all = rows.ToArray();
        _byCode = all.ToDictionary(r => r.Code);
        _byName = all.GroupBy(r => NameKey(r.Name)).ToDictionary(g => g.Key, g => g.ToArray());
        _county = county;
    }

    /// <summary>For the unit of work's tenant, whose id is the county code (ADR 0004); the municipalities come from the
    /// reference data held in memory.</summary>
    public static async Task<MunicipalityLookup> LoadAsync(ReferenceData reference, UnitOfWork uow) =>
        new((await reference.GetAsync()).Municipalities, uow.RequiredTenantId);

    /// <summary>True: in the county; false: a municipality elsewhere; null: no such municipality.</summary>
    public bool? InCounty(string code) => _byCode.TryGetValue(code, out var r) ? r.CountyCode == _county : null;

    /// <summary>
    /// A municipality by code (four digits; three when a spreadsheet dropped the leading zero) or by name
    /// (any case, surrounding space, with or without "kommun"). Prefers the tenant's county when a name repeats.
    /// </summary>
    public MunicipalityRow? Find(string text)
    {
        var t = text.Trim();
        if (t.Length is 3 or 4 && t.All(char.IsAsciiDigit)) return _byCode.GetValueOrDefault(t.PadLeft(4, '0'));
        if (!_byName.TryGetValue(NameKey(t), out var rows))
        {
            var stripped = NameKey(t);
            foreach (var suffix in new[] { " kommun", " stad", " municipality" })
            {
                if (stripped.EndsWith(suffix, StringComparison.Ordinal) && _byName.TryGetValue(stripped[..^suffix.Length], out rows)) break;
            }
            if (rows is null) return null;
        }
        return rows.FirstOrDefault(r => r.CountyCode == _county) ?? rows[0];
    }

    public string? Name(string? code) => code is null ? null : _byCode.GetValueOrDefault(code)?.Name;

    static string NameKey(string s) => string.Join(' ', s.Trim().ToLower(CultureInfo.GetCultureInfo("sv-SE"))
        .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
