using Dapper;
using Npgsql;
using VagaVaraDigital.Cli;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Reach;

/// <summary><c>vvd seed-bench</c> on a small plan: the promised shape, the same rows from the same seed, re-runnable.</summary>
public sealed class SeedBenchTests : ApiTest
{
    static readonly BenchPlan Small = new(Seed: 7, Invitees: 1_200, Webcasts: 60, Attendance: 4_000);

    static async Task<string> SeedAndFingerprintAsync(bool reset = false, List<string>? log = null)
    {
        await using var app = NpgsqlDataSource.Create(Database.AppConnectionString);
        Assert.That(await SeedBench.RunAsync(app, Database.OwnerConnectionString, Small, line => log?.Add(line), CancellationToken.None, reset), Is.True);
        return await FingerprintAsync();
    }

    static async Task<string> FingerprintAsync()
    {
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

        // A second run finds the data set and changes nothing; --reset deletes it and loads the same rows again.
        var log = new List<string>();
        Assert.That(await SeedAndFingerprintAsync(log: log), Is.EqualTo(first));
        Assert.That(log, Has.Some.Contains("finns redan"));
        var second = await SeedAndFingerprintAsync(reset: true);
        Assert.That(second, Is.EqualTo(first), "same seed, same rows");

        // The maintained reach summary (ADR 0051) equals a recomputation from scratch after the bulk load.
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            const string Summary = "SELECT md5(string_agg(concat_ws('|', invitee_id, invited, answered, accepted, first_reached_at), ',' ORDER BY invitee_id)) FROM reach_invitees";
            var maintained = await conn.ExecuteScalarAsync<string>(Summary);
            await using var tx = await conn.BeginTransactionAsync();
            foreach (var tenant in await conn.QueryAsync<string>("SELECT id FROM tenants", transaction: tx))
                await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true); SELECT reach_refresh(@tenant, 0, true);", new { tenant }, tx);
            Assert.That(await conn.ExecuteScalarAsync<string>(Summary, transaction: tx), Is.EqualTo(maintained));
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM reach_invitees", transaction: tx), Is.GreaterThan(1_000));
            const string Counters = "SELECT md5(string_agg(concat_ws('|', scope, dim, key, persons, invited, answered, accepted, reached), ',' ORDER BY scope, dim, key)) FROM reach_counts WHERE persons <> 0";
            var counted = await conn.ExecuteScalarAsync<string>(Counters, transaction: tx);
            await conn.ExecuteAsync("SELECT reach_national_rebuild()", transaction: tx);
            Assert.That(await conn.ExecuteScalarAsync<string>(Counters, transaction: tx), Is.EqualTo(counted), "national counters after the bulk load");
            await tx.RollbackAsync();
        }
    }
}
