using Dapper;
using Npgsql;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Reach;

/// <summary>
/// A small hand-built data set (inserted as the superuser, no other feature's API involved). The expected figures
/// are worked out by hand in <see cref="ReachReportTests"/> from the comments here.
///
/// Uppsala (03), threshold 15 minutes, target 83 (default). "Now" = 2026-11-29 12:00 UTC.
///   W1 2026-11-02 09:00 UTC, 60 min (ended)   W2 2026-11-16 09:00 UTC, 60 min (ended)   W3 2026-12-10 09:00 UTC (future)
///   a1 P1 0380 fortroendevald        W1 attended, manual 45 min ✓; W2 attended, teams 30 min ✓   (same person twice)
///   a2 P2 0381 kommunledning         W1 attended, teams 20 min ✓                                  (also invited by Stockholm)
///   a3 P3 0305 forvaltningschef      W1 accepted, teams 10 min ✗ (below 15)
///   a4 P4 0330 fortroendevald ERASED W2 attended, tracked_link, no minutes ✓                     (erased: names/e-mail null)
///   a5 P5 0331 ovrig OPTED OUT       W2 declined
///   a6 P6 0360 fortroendevald        W2 sent; W3 sent                                             (Tierp: invited, no one reached)
///   a7 P7 0380 kommunledning         W1 created (never sent)
///   a8 P8 —    lansstyrelsens_ledning W2 absent (accepted, did not come)
///   0319 Älvkarleby, 0382 Östhammar: no invitees.
/// Stockholm (01), threshold 10 minutes, target 269.
///   WB1 2026-11-10 09:00 UTC, 60 min (ended)
///   b1 P2 0180 kommunledning         WB1 attended, manual 60 min ✓
///   b2 P9 0180 fortroendevald        WB1 accepted, zoom 5 min ✗ (below 10)
///   b3 P10 0182 forvaltningschef     WB1 attended, tracked_link 2 min ✓ (a tracked join counts whatever the minutes)
/// </summary>
public static class ReachFixture
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static readonly Guid W1 = Guid.Parse("00000000-0000-0000-0000-00000000a001");
    public static readonly Guid W2 = Guid.Parse("00000000-0000-0000-0000-00000000a002");
    public static readonly Guid W3 = Guid.Parse("00000000-0000-0000-0000-00000000a003");
    public static readonly Guid WB1 = Guid.Parse("00000000-0000-0000-0000-00000000b001");

    /// <summary>Personal data of the fixture: none of it may appear in a national response.</summary>
    public static readonly string[] PersonalData =
    [
        "zonq", "@uppsala.se", "@enkoping.se", "@habo.se", "@heby.se", "@tierp.se", "@lansstyrelsen.se", "@stockholm.se",
        "@nacka.se", "person-key-", "070-123", "P10",
    ];

    public static async Task SeedAsync(TestDatabase db)
    {
        await using var conn = await db.OpenSuperuserAsync();
        await conn.ExecuteAsync("UPDATE tenant_settings SET attendance_threshold_minutes = 15 WHERE tenant_id = '03'");
        await conn.ExecuteAsync("UPDATE tenant_settings SET attendance_threshold_minutes = 10 WHERE tenant_id = '01'");

        await Webcast(conn, W1, "03", "Digitaliseringen och planprocessen", "2026-11-02 09:00Z", "completed");
        await Webcast(conn, W2, "03", "Bygglov i en digital värld", "2026-11-16 09:00Z", "completed");
        await Webcast(conn, W3, "03", "=Framtidens samhällsbyggnad", "2026-12-10 09:00Z", "scheduled");
        await Webcast(conn, WB1, "01", "Stockholms sändning", "2026-11-10 09:00Z", "completed");

        var a1 = await Invitee(conn, "03", "Anna", "Anderzonq", "anna@uppsala.se", "P1", "0380", "fortroendevald");
        var a2 = await Invitee(conn, "03", "Bo", "Bergzonq", "bo@enkoping.se", "P2", "0381", "kommunledning");
        var a3 = await Invitee(conn, "03", "Cecilia", "Carlzonq", "cecilia@habo.se", "P3", "0305", "forvaltningschef");
        var a4 = await Invitee(conn, "03", null, null, null, "P4", "0330", "fortroendevald", "erased");
        var a5 = await Invitee(conn, "03", "Erik", "Ekzonq", "erik@heby.se", "P5", "0331", "ovrig", "opted_out");
        var a6 = await Invitee(conn, "03", "Frida", "Forszonq", "frida@tierp.se", "P6", "0360", "fortroendevald");
        var a7 = await Invitee(conn, "03", "Gustav", "Granzonq", "gustav@uppsala.se", "P7", "0380", "kommunledning");
        var a8 = await Invitee(conn, "03", "Helena", "Holmzonq", "helena@lansstyrelsen.se", "P8", null, "lansstyrelsens_ledning");
        var b1 = await Invitee(conn, "01", "Bo", "Bergzonq", "bo@enkoping.se", "P2", "0180", "kommunledning");
        var b2 = await Invitee(conn, "01", "Ivar", "Isakzonq", "ivar@stockholm.se", "P9", "0180", "fortroendevald");
        var b3 = await Invitee(conn, "01", "Jenny", "Janzonq", "jenny@nacka.se", "P10", "0182", "forvaltningschef");

        await Attend(conn, "03", await Invitation(conn, "03", W1, a1, "attended"), "manual", 45);
        await Attend(conn, "03", await Invitation(conn, "03", W2, a1, "attended"), "teams", 30);
        await Attend(conn, "03", await Invitation(conn, "03", W1, a2, "attended"), "teams", 20);
        await Attend(conn, "03", await Invitation(conn, "03", W1, a3, "accepted"), "teams", 10);
        await Attend(conn, "03", await Invitation(conn, "03", W2, a4, "attended"), "tracked_link", null);
        await Invitation(conn, "03", W2, a5, "declined");
        await Invitation(conn, "03", W2, a6, "sent");
        await Invitation(conn, "03", W3, a6, "sent");
        await Invitation(conn, "03", W1, a7, "created");
        await Invitation(conn, "03", W2, a8, "absent");
        await Attend(conn, "01", await Invitation(conn, "01", WB1, b1, "attended"), "manual", 60);
        await Attend(conn, "01", await Invitation(conn, "01", WB1, b2, "accepted"), "zoom", 5);
        await Attend(conn, "01", await Invitation(conn, "01", WB1, b3, "attended"), "tracked_link", 2);
    }

    static Task Webcast(NpgsqlConnection conn, Guid id, string tenant, string title, string startsAt, string status) => conn.ExecuteAsync("""
        INSERT INTO webcasts (id, tenant_id, title, starts_at, duration_minutes, status)
        VALUES (@id, @tenant, @title, @startsAt::timestamptz, 60, @status)
        """, new { id, tenant, title, startsAt, status });

    static Task<Guid> Invitee(NpgsqlConnection conn, string tenant, string? first, string? last, string? email, string person,
        string? municipality, string role, string status = "active") => conn.ExecuteScalarAsync<Guid>("""
        INSERT INTO invitees (tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code, role_category,
                              phone, status, erased_at, opted_out_at)
        VALUES (@tenant, @first, @last, @email, @email, 'person-key-' || @person, @municipality, @role,
                CASE WHEN @status = 'erased' THEN NULL ELSE '070-123 45 67' END, @status,
                CASE WHEN @status = 'erased' THEN now() END, CASE WHEN @status = 'opted_out' THEN now() END)
        RETURNING id
        """, new { tenant, first, last, email, person, municipality, role, status });

    static Task<Guid> Invitation(NpgsqlConnection conn, string tenant, Guid webcast, Guid invitee, string status) => conn.ExecuteScalarAsync<Guid>("""
        INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token, status, sent_at, responded_at)
        VALUES (@tenant, @webcast, @invitee, replace(gen_random_uuid()::text, '-', ''), @status,
                CASE WHEN @status <> 'created' THEN now() END,
                CASE WHEN @status IN ('accepted', 'declined', 'attended', 'absent') THEN now() END)
        RETURNING id
        """, new { tenant, webcast, invitee, status });

    static Task Attend(NpgsqlConnection conn, string tenant, Guid invitation, string source, int? minutes) => conn.ExecuteAsync("""
        INSERT INTO attendance (tenant_id, invitation_id, source, minutes) VALUES (@tenant, @invitation, @source, @minutes)
        """, new { tenant, invitation, source, minutes });
}
