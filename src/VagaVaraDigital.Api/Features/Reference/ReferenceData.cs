using Dapper;
using Npgsql;

namespace VagaVaraDigital.Api.Features.Reference;

/// <summary>
/// Sweden's counties and municipalities (the global reference tables of migration 0002), read once per process: they
/// change only with a migration (a municipal merger), which comes with a deploy and so a restart. A failed read is
/// tried again at the next call.
/// </summary>
public sealed class ReferenceData(NpgsqlDataSource dataSource)
{
    public sealed record CountyRow(string Code, string Name);
    public sealed record MunicipalityRow(string Code, string Name, string CountyCode);

    public sealed record Snapshot(IReadOnlyList<CountyRow> Counties, IReadOnlyList<MunicipalityRow> Municipalities)
    {
        public IReadOnlyDictionary<string, MunicipalityRow> MunicipalityByCode { get; } =
            Municipalities.ToDictionary(m => m.Code);
    }

    Task<Snapshot>? _load;
    readonly object _gate = new();

    public Task<Snapshot> GetAsync()
    {
        lock (_gate)
        {
            if (_load is null || _load.IsFaulted || _load.IsCanceled) _load = LoadAsync();
            return _load;
        }
    }

    async Task<Snapshot> LoadAsync()
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        using var grid = await conn.QueryMultipleAsync("""
            SELECT code AS Code, name AS Name FROM counties ORDER BY code;
            SELECT code AS Code, name AS Name, county_code AS CountyCode FROM municipalities ORDER BY code;
            """);
        return new Snapshot((await grid.ReadAsync<CountyRow>()).ToArray(), (await grid.ReadAsync<MunicipalityRow>()).ToArray());
    }
}
