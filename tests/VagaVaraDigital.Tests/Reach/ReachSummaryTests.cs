using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Reach;

/// <summary>
/// The reach summary (migration 0503, ADR 0051) follows every kind of write, in the writing transaction: starting from
/// <see cref="ReachFixture"/> (Uppsala: 3 reached — P1, P2, P4; threshold 15), each test writes through the API or as the
/// application role in the tenant's scope, then checks the report against figures worked out by hand and checks that
/// the maintained summary equals a recomputation from scratch.
/// </summary>
public sealed class ReachSummaryTests : ReachTest
{
    static HttpClient Uppsala => Client("CountyAdmin", "03", tenantSlug: "uppsala");

    static async Task<int> ReachedAsync() => (await GetJsonAsync(Uppsala, "api/reach")).GetProperty("summary").GetProperty("reached").GetInt32();

    /// <summary>The fixture person's invitation to the webcast, in Uppsala unless another county is given.</summary>
    static async Task<Guid> InvitationAsync(string person, Guid webcast, string tenant = "03")
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return await conn.ExecuteScalarAsync<Guid>("""
            SELECT v.id FROM invitations v JOIN invitees i ON i.id = v.invitee_id
            WHERE i.person_key = 'person-key-' || @person AND i.tenant_id = @tenant AND v.webcast_id = @webcast
            """, new { person, webcast, tenant });
    }

    /// <summary>Runs SQL as the application role in Uppsala's scope, in one committed transaction.</summary>
    static async Task AsUppsalaAsync(string sql, object? param = null)
    {
        await using var conn = new NpgsqlConnection(Database.AppConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', '03', true)", transaction: tx);
        await conn.ExecuteAsync(sql, param, tx);
        await tx.CommitAsync();
    }

    /// <summary>The maintained summary of a tenant equals what a recomputation from the source tables gives.</summary>
    static async Task AssertSummaryIsExactAsync(string tenant = "03")
    {
        const string Rows = """
            SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
              SELECT concat_ws('|', invitee_id, person_key, municipality_code, role_category, invited, answered, accepted, first_reached_at) AS x
              FROM reach_invitees
              UNION ALL
              SELECT concat_ws('|', webcast_id, municipality_code, invited, answered, accepted, attended, accepted_absent) FROM reach_webcasts) t
            """;
        await using var conn = new NpgsqlConnection(Database.AppConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        var maintained = await conn.ExecuteScalarAsync<string>(Rows, transaction: tx);
        await conn.ExecuteAsync("SELECT reach_refresh(@tenant, 0, true)", new { tenant }, tx);
        var recomputed = await conn.ExecuteScalarAsync<string>(Rows, transaction: tx);
        await tx.RollbackAsync();
        Assert.That(maintained, Is.EqualTo(recomputed), $"tenant {tenant}: the maintained summary differs from a recomputation");
        Assert.That(maintained, Is.Not.Empty);

        // The national counters (distinct persons across tenants) equal a rebuild from every tenant's summary.
        const string Counters = """
            SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
              SELECT concat_ws('|', scope, dim, key, persons, invited, answered, accepted, reached) AS x FROM reach_counts
              WHERE (persons, invited, answered, accepted, reached) <> (0, 0, 0, 0, 0)
              UNION ALL SELECT concat_ws('|', scope, at, reached) FROM reach_counts_at WHERE reached <> 0
              UNION ALL SELECT concat_ws('|', person_key, scope, dim, key, invited, answered, accepted, first_reached_at) FROM reach_person_facts) t
            """;
        await using var su = await Database.OpenSuperuserAsync();
        await using var stx = await su.BeginTransactionAsync();
        var counted = await su.ExecuteScalarAsync<string>(Counters, transaction: stx);
        await su.ExecuteAsync("SELECT reach_national_rebuild()", transaction: stx);
        var rebuilt = await su.ExecuteScalarAsync<string>(Counters, transaction: stx);
        await stx.RollbackAsync();
        Assert.That(counted, Is.EqualTo(rebuilt), "the maintained national counters differ from a rebuild");
        Assert.That(counted, Is.Not.Empty);
    }

    static StringContent Json(object o) => new(JsonSerializer.Serialize(o), Encoding.UTF8, "application/json");

    [Test]
    public async Task Attendance_marked_above_and_below_the_threshold_and_unmarked()
    {
        await ReachFixture.SeedAsync(Database);
        await AssertSummaryIsExactAsync();
        await AssertSummaryIsExactAsync("01");
        var p3 = await InvitationAsync("P3", ReachFixture.W1);
        var url = $"api/webcasts/{ReachFixture.W1}/invitations/{p3}/attendance";

        // P3 (Håbo) marked by hand for 12 minutes: below 15, still 3 reached.
        using (var below = await Uppsala.PutAsync(url, Json(new { attended = true, minutes = 12 })))
            Assert.That(below.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ReachedAsync(), Is.EqualTo(3));
        await AssertSummaryIsExactAsync();

        // 40 minutes: P3 now counts → 4 reached, Håbo covered, W1 attended 3 (P1, P2, P3).
        using (var above = await Uppsala.PutAsync(url, Json(new { attended = true, minutes = 40 })))
            Assert.That(above.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var r = await GetJsonAsync(Uppsala, "api/reach");
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("summary").GetProperty("reached").GetInt32(), Is.EqualTo(4));
            Assert.That(r.GetProperty("summary").GetProperty("municipalitiesCovered").GetInt32(), Is.EqualTo(4));
            var w1 = r.GetProperty("webcasts").EnumerateArray().Single(w => w.GetProperty("id").GetGuid() == ReachFixture.W1);
            Assert.That(w1.GetProperty("attended").GetInt32(), Is.EqualTo(3));
        });
        await AssertSummaryIsExactAsync();

        // Unmarked: the manual row goes, the teams row (10 min) stays below the threshold → 3 again.
        using (var unmark = await Uppsala.PutAsync(url, Json(new { attended = false })))
            Assert.That(unmark.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ReachedAsync(), Is.EqualTo(3));
        await AssertSummaryIsExactAsync();

        // Nationally P3 appears and goes the same way (4 → 5 → 4 distinct persons).
        var national = await GetJsonAsync(Client("NationalViewer"), "api/national/reach");
        Assert.That(national.GetProperty("summary").GetProperty("reached").GetInt32(), Is.EqualTo(4));
    }

    [Test]
    public async Task A_tracked_join_counts_at_once_without_minutes()
    {
        await ReachFixture.SeedAsync(Database);
        var p6 = await InvitationAsync("P6", ReachFixture.W3);
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            // W3 is moved to have started ten minutes ago, with its join link; P6 has a (sent) invitation to it.
            await conn.ExecuteAsync("UPDATE webcasts SET join_url = 'https://teams.example/w3', starts_at = @at WHERE id = @W3",
                new { ReachFixture.W3, at = ReachFixture.Now.AddMinutes(-10) });
            await conn.ExecuteAsync("UPDATE invitations SET token = 'tracked-join-token-0123456789' WHERE id = @p6", new { p6 });
        }
        await AssertSummaryIsExactAsync();

        // P6 (Tierp) opens the personal join link during W3: a tracked join, no minutes.
        using (var join = await ReachApp.ClientAs(null, tenantSlug: "uppsala").GetAsync("j/tracked-join-token-0123456789"))
            Assert.That(join.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        var r = await GetJsonAsync(Uppsala, "api/reach");
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("summary").GetProperty("reached").GetInt32(), Is.EqualTo(4), "P1 P2 P4 + P6");
            var tierp = r.GetProperty("municipalities").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "0360");
            Assert.That(tierp.GetProperty("covered").GetBoolean(), Is.True);
            Assert.That(tierp.GetProperty("accepted").GetInt32(), Is.EqualTo(1), "an attendance that counts makes the person accepted");
        });
        await AssertSummaryIsExactAsync();
    }

    [Test]
    public async Task Answers_to_invitations_move_the_funnel()
    {
        await ReachFixture.SeedAsync(Database);
        // Funnel before: invited 7, answered 6, accepted 5. P6 accepts W3; P7's W1 invitation is sent.
        await AsUppsalaAsync("""
            UPDATE invitations v SET status = 'accepted', responded_at = now() FROM invitees i
            WHERE i.id = v.invitee_id AND i.person_key = 'person-key-P6' AND v.webcast_id = @W3
            """, new { ReachFixture.W3 });
        await AsUppsalaAsync("""
            UPDATE invitations v SET status = 'sent', sent_at = now() FROM invitees i
            WHERE i.id = v.invitee_id AND i.person_key = 'person-key-P7'
            """);
        var r = await GetJsonAsync(Uppsala, "api/reach");
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("funnel").EnumerateArray().Select(f => f.GetProperty("count").GetInt32()), Is.EqualTo(new[] { 8, 7, 6, 3 }));
            var w3 = r.GetProperty("webcasts").EnumerateArray().Single(w => w.GetProperty("id").GetGuid() == ReachFixture.W3);
            Assert.That(w3.GetProperty("accepted").GetInt32(), Is.EqualTo(1));
        });
        await AssertSummaryIsExactAsync();

        // A new invitation (P5 to W3, created, not sent) adds to W3's line but not to the invited persons.
        await AsUppsalaAsync("""
            INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token)
            SELECT '03', @W3, id, 'new-invitation-token-0123456789' FROM invitees WHERE person_key = 'person-key-P5'
            """, new { ReachFixture.W3 });
        await AssertSummaryIsExactAsync();
        // And deleting it takes it away again.
        await AsUppsalaAsync("DELETE FROM invitations WHERE token = 'new-invitation-token-0123456789'");
        await AssertSummaryIsExactAsync();
    }

    [Test]
    public async Task Erasure_keeps_the_counts_and_a_changed_municipality_moves_them()
    {
        await ReachFixture.SeedAsync(Database);
        Guid p1;
        await using (var conn = await Database.OpenSuperuserAsync())
            p1 = await conn.ExecuteScalarAsync<Guid>("SELECT id FROM invitees WHERE person_key = 'person-key-P1'");

        using (var erase = await Uppsala.DeleteAsync($"api/invitees/{p1}"))
            Assert.That(erase.IsSuccessStatusCode, Is.True);
        var r = await GetJsonAsync(Uppsala, "api/reach");
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("summary").GetProperty("reached").GetInt32(), Is.EqualTo(3), "P1 erased still counts");
            var uppsala = r.GetProperty("municipalities").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "0380");
            Assert.That(uppsala.GetProperty("reached").GetInt32(), Is.EqualTo(1));
        });
        await AssertSummaryIsExactAsync();

        // P2 moves from Enköping (0381) to Heby (0331): the municipality lines and W1's line follow.
        await AsUppsalaAsync("UPDATE invitees SET municipality_code = '0331' WHERE person_key = 'person-key-P2'");
        r = await GetJsonAsync(Uppsala, "api/reach");
        Assert.Multiple(() =>
        {
            var enkoping = r.GetProperty("municipalities").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "0381");
            var heby = r.GetProperty("municipalities").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "0331");
            Assert.That(enkoping.GetProperty("reached").GetInt32(), Is.EqualTo(0));
            Assert.That(heby.GetProperty("reached").GetInt32(), Is.EqualTo(1));
        });
        await AssertSummaryIsExactAsync();
    }

    [Test]
    public async Task A_new_threshold_recomputes_the_tenant()
    {
        await ReachFixture.SeedAsync(Database);
        // 10 minutes: P3's 10-minute teams attendance now counts → P1 P2 P3 P4.
        await AsUppsalaAsync("UPDATE tenant_settings SET attendance_threshold_minutes = 10");
        Assert.That(await ReachedAsync(), Is.EqualTo(4));
        await AssertSummaryIsExactAsync();
        // 25 minutes: P2 (20) drops; P1 (45, 30) and P4 (tracked join) stay.
        await AsUppsalaAsync("UPDATE tenant_settings SET attendance_threshold_minutes = 25");
        Assert.That(await ReachedAsync(), Is.EqualTo(2));
        await AssertSummaryIsExactAsync();
        // Nationally P2 still counts through Stockholm: P1 P4 + P2 P10 = 4.
        var national = await GetJsonAsync(Client("NationalViewer"), "api/national/reach");
        Assert.That(national.GetProperty("summary").GetProperty("reached").GetInt32(), Is.EqualTo(4));
    }

    [Test]
    public async Task A_rescheduled_webcast_moves_the_first_reached_day_and_a_deleted_draft_leaves_nothing()
    {
        await ReachFixture.SeedAsync(Database);
        // W2 (P4 first reached there on 16 Nov) moved to 18 Nov.
        await AsUppsalaAsync("UPDATE webcasts SET starts_at = '2026-11-18 09:00Z' WHERE id = @W2", new { ReachFixture.W2 });
        await AssertSummaryIsExactAsync();
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            var p4 = await conn.ExecuteScalarAsync<DateTime>("SELECT first_reached_at FROM reach_invitees WHERE person_key = 'person-key-P4'");
            Assert.That(p4, Is.EqualTo(new DateTime(2026, 11, 18, 9, 0, 0, DateTimeKind.Utc)));
        }

        // A draft with one invitation shows on the report; without it and deleted, it is gone.
        var draft = Guid.NewGuid();
        await AsUppsalaAsync("""
            INSERT INTO webcasts (id, tenant_id, title, starts_at, duration_minutes) VALUES (@draft, '03', 'Utkast', '2026-12-20 09:00Z', 60);
            INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token)
            SELECT '03', @draft, id, 'draft-invitation-token-0123456789' FROM invitees WHERE person_key = 'person-key-P6';
            """, new { draft });
        var r = await GetJsonAsync(Uppsala, "api/reach");
        Assert.That(r.GetProperty("webcasts").EnumerateArray().Count(w => w.GetProperty("id").GetGuid() == draft), Is.EqualTo(1));
        await AsUppsalaAsync("DELETE FROM invitations WHERE webcast_id = @draft; DELETE FROM webcasts WHERE id = @draft;", new { draft });
        r = await GetJsonAsync(Uppsala, "api/reach");
        Assert.That(r.GetProperty("webcasts").EnumerateArray().Count(w => w.GetProperty("id").GetGuid() == draft), Is.Zero);
        await AssertSummaryIsExactAsync();
        await using (var conn = await Database.OpenSuperuserAsync())
        {
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM reach_webcasts WHERE webcast_id = @draft", new { draft }), Is.Zero);
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM reach_dirty WHERE txid <> 0"), Is.Zero, "the queue is emptied at commit");
        }
    }

    [Test]
    public async Task A_rolled_back_write_changes_nothing()
    {
        await ReachFixture.SeedAsync(Database);
        var p3 = await InvitationAsync("P3", ReachFixture.W1);
        await using (var conn = new NpgsqlConnection(Database.AppConnectionString))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', '03', true)", transaction: tx);
            await conn.ExecuteAsync("INSERT INTO attendance (tenant_id, invitation_id, source, minutes) VALUES ('03', @p3, 'manual', 50)", new { p3 }, tx);
            await tx.RollbackAsync();
        }
        Assert.That(await ReachedAsync(), Is.EqualTo(3));
        await AssertSummaryIsExactAsync();
    }

    /// <summary>
    /// Five writers commit at the same moment — two counties, and one person (P2) whose attendance both counties take
    /// away: each flush runs after the other's commit (ADR 0051's lock), so no update is lost and P2 leaves the national
    /// count only once both are gone. Then the same writes are undone, again all at once.
    /// </summary>
    [Test]
    public async Task Concurrent_writers_in_two_counties_lose_no_update()
    {
        await ReachFixture.SeedAsync(Database);
        var p3 = await InvitationAsync("P3", ReachFixture.W1);
        var p6 = await InvitationAsync("P6", ReachFixture.W2);
        var p2Uppsala = await InvitationAsync("P2", ReachFixture.W1);
        var p9 = await InvitationAsync("P9", ReachFixture.WB1, tenant: "01");
        var p2Stockholm = await InvitationAsync("P2", ReachFixture.WB1, tenant: "01");

        // Every writer runs its statement, then all commit together.
        async Task AllAtOnceAsync(params (string Tenant, string Sql, Guid Id)[] writes)
        {
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var ready = 0;
            var writers = writes.Select(async w =>
            {
                await using var conn = new NpgsqlConnection(Database.AppConnectionString);
                await conn.OpenAsync();
                await using var tx = await conn.BeginTransactionAsync();
                await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = w.Tenant }, tx);
                await conn.ExecuteAsync(w.Sql, new { id = w.Id, tenant = w.Tenant }, tx);
                if (Interlocked.Increment(ref ready) == writes.Length) go.SetResult();
                await go.Task.WaitAsync(TimeSpan.FromSeconds(30));
                await tx.CommitAsync();
            }).ToArray();
            await Task.WhenAll(writers);
        }

        const string Attend = "INSERT INTO attendance (tenant_id, invitation_id, source, minutes) VALUES (@tenant, @id, 'manual', 40)";
        const string Unattend = "DELETE FROM attendance WHERE invitation_id = @id";
        var before = await AttendanceRowsAsync(p2Uppsala, p2Stockholm);
        await AllAtOnceAsync(("03", Attend, p3), ("03", Attend, p6), ("01", Attend, p9), ("03", Unattend, p2Uppsala), ("01", Unattend, p2Stockholm));

        // By hand: Uppsala P1, P4 + P3, P6 (P2 gone) = 4; Stockholm P10 + P9 (P2 gone) = 2; nationally P1, P3, P4, P6, P9,
        // P10 = 6 distinct persons.
        var stockholm = Client("CountyAdmin", "01", tenantSlug: "stockholm");
        var national = Client("NationalViewer");
        async Task<(int, int, int)> Reached() => (await ReachedAsync(),
            (await GetJsonAsync(stockholm, "api/reach")).GetProperty("summary").GetProperty("reached").GetInt32(),
            (await GetJsonAsync(national, "api/national/reach")).GetProperty("summary").GetProperty("reached").GetInt32());
        Assert.That(await Reached(), Is.EqualTo((4, 2, 6)));
        await AssertSummaryIsExactAsync();
        await AssertSummaryIsExactAsync("01");

        // Undone, all at once: the fixture's figures again (Uppsala 3, Stockholm 2, nationally P1, P2, P4, P10 = 4).
        await using (var su = await Database.OpenSuperuserAsync())
        {
            foreach (var row in before)
            {
                await su.ExecuteAsync("INSERT INTO attendance (tenant_id, invitation_id, source, minutes) VALUES (@TenantId, @InvitationId, @Source, @Minutes)",
                    row);
            }
        }
        await AllAtOnceAsync(("03", Unattend, p3), ("03", Unattend, p6), ("01", Unattend, p9));
        Assert.That(await Reached(), Is.EqualTo((3, 2, 4)));
        await AssertSummaryIsExactAsync();
        await AssertSummaryIsExactAsync("01");
    }

    sealed record AttendanceRow(string TenantId, Guid InvitationId, string Source, int? Minutes);

    static async Task<AttendanceRow[]> AttendanceRowsAsync(params Guid[] invitations)
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return (await conn.QueryAsync<AttendanceRow>(
            "SELECT tenant_id AS TenantId, invitation_id AS InvitationId, source AS Source, minutes AS Minutes FROM attendance WHERE invitation_id = ANY(@invitations)",
            new { invitations })).ToArray();
    }
}
