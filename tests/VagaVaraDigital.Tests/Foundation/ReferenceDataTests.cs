using Dapper;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Foundation;

public sealed class ReferenceDataTests : ApiTest
{
    [Test]
    public async Task Reference_tables_hold_21_counties_and_290_municipalities_each_under_its_county()
    {
        await using var conn = await Database.OpenSuperuserAsync();
        var counties = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM counties");
        var municipalities = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM municipalities");
        var misplaced = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM municipalities WHERE left(code, 2) <> county_code");
        var unusedCodes = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM counties WHERE code IN ('02','11','15','16')");

        Assert.Multiple(() =>
        {
            Assert.That(counties, Is.EqualTo(21));
            Assert.That(municipalities, Is.EqualTo(290));
            Assert.That(misplaced, Is.Zero);
            Assert.That(unusedCodes, Is.Zero);
        });
    }

    [Test]
    public async Task Counties_endpoint_is_public_and_lists_every_municipality_with_text_codes()
    {
        var json = await GetJsonAsync(App.ClientAs(null), "/api/reference/counties");

        var counties = json.EnumerateArray().ToArray();
        var municipalities = counties.SelectMany(c => c.GetProperty("municipalities").EnumerateArray()
            .Select(m => (County: c.GetProperty("code").GetString()!, Code: m.GetProperty("code").GetString()!, Name: m.GetProperty("name").GetString()!)))
            .ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(counties, Has.Length.EqualTo(21));
            Assert.That(municipalities, Has.Length.EqualTo(290));
            Assert.That(municipalities.All(m => m.Code.StartsWith(m.County, StringComparison.Ordinal)), Is.True);
            Assert.That(counties[0].GetProperty("code").GetString(), Is.EqualTo("01"), "leading zero kept");
            Assert.That(municipalities, Has.Some.EqualTo(("03", "0380", "Uppsala")));
            Assert.That(municipalities, Has.Some.EqualTo(("25", "2584", "Kiruna")));
            Assert.That(municipalities.Select(m => m.Name), Has.Some.EqualTo("Malå"), "å/ä/ö intact");
        });
    }
}
