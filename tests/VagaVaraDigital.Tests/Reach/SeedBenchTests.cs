using Dapper;
using Npgsql;
using VagaVaraDigital.Cli;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Reach;

/// <summary><c>vvd seed-bench</c> on a small plan: the promised shape, and the same rows from the same seed.</summary>
public sealed class SeedBenchTests : ApiTest
{
    static readonly BenchPlan Small = new(Seed: 7, Invitees: 1_200, Webcasts: 60, Attendance: 4_000);

    static async Task<string> SeedAndFingerprintAsync()
    {
        await using var app = NpgsqlDataSource.Create(Database.AppConnectionString);
        Assert.That(await SeedBench.RunAsync(app, Database.OwnerConnectionString, Small, _ => { }, CancellationToken.None), Is.True);
        await using var conn = await Database.OpenSuperuserAsync();
        return await conn.ExecuteScalarAsync<string>("""
            SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
              SELECT id::text || tenant_id || person_key || coalesce(municipality_code, '-') || role_category || status AS x FROM invitees
              UNION ALL SELECT id::text || tenant_id || starts_at::text FROM webcasts
              UNION ALL SELECT id::text || webcast_id::text || invitee_id::text || token || status FROM invitations
              UNION ALL SELECT id::text || invitation_id::text || source || coalesce(minutes::text, '-') FROM attendance) t
            """) ?? "";
    }

    [Test]
    public async Task Seed_bench_fills_every_tenant_and_municipality_deterministically()
    {
        var first = await SeedAndFingerprintAsync();
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            var shape = await conn.QuerySingleAsync<(long Invitees, long Webcasts, long Attendance, long Tenants, long Municipalities, long Shared)>("""
                SELECT (SELECT count(*) FROM invitees), (SELECT count(*) FROM webcasts), (SELECT count(*) FROM attendance),
                       (SELECT count(DISTINCT tenant_id) FROM invitees), (SELECT count(DISTINCT municipality_code) FROM invitees),
                       (SELECT count(*) FROM (SELECT person_key FROM invitees GROUP BY person_key HAVING count(DISTINCT tenant_id) > 1) p)
                """);
            Assert.That(shape, Is.EqualTo((1_200L, 60L, 4_000L, 21L, 290L, shape.Shared)));
            Assert.That(shape.Shared, Is.GreaterThan(0), "some persons are invited by two counties");
        }

        await Database.ResetAsync();
        var second = await SeedAndFingerprintAsync();
        Assert.That(second, Is.EqualTo(first), "same seed, same rows");
    }
}
