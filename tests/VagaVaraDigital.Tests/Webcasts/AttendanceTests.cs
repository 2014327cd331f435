using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Attendance;
using VagaVaraDigital.Api.Features.Webcasts;

namespace VagaVaraDigital.Tests.Webcasts;

/// <summary>Attendance: Teams/Zoom report imports (sample files in Webcasts/Reports), manual marks, and the lifecycle job.</summary>
public sealed class AttendanceTests : WebcastTest
{
    static byte[] Report(string name) => File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Webcasts", "Reports", name));

    static object Upload(string name, Dictionary<string, Guid>? matches = null) =>
        new { fileName = name, contentBase64 = Convert.ToBase64String(Report(name)), matches };

    /// <summary>A webcast that has taken place, with Anna, Bo, Cecilia and Petra invited and accepted.</summary>
    async Task<(Guid Id, HttpClient Staff)> HeldWebcastAsync()
    {
        var staff = Staff();
        var id = (await CreateScheduledAsync(staff)).GetProperty("id").GetGuid();
        foreach (var email in new[] { "anna.andersson@uppsala.se", "bo.berg@uppsala.se", "cecilia.ek@uppsala.se", "petra.panel@uppsala.se" })
            await AddInviteeAsync(email);
        await InviteAsync(staff, id);
        await ExecAsync("UPDATE invitations SET status = 'accepted' WHERE webcast_id = @id", new { id });
        await ExecAsync("UPDATE webcasts SET starts_at = now() - interval '3 hours' WHERE id = @id", new { id });
        return (id, staff);
    }

    static Task<string> StatusByEmailAsync(Guid webcastId, string email) => ScalarAsync<string>("""
        SELECT i.status FROM invitations i JOIN invitees v ON v.id = i.invitee_id WHERE i.webcast_id = @webcastId AND v.email = @email
        """, new { webcastId, email });

    static Task<Guid> InvitationIdAsync(Guid webcastId, string email) => ScalarAsync<Guid>("""
        SELECT i.id FROM invitations i JOIN invitees v ON v.id = i.invitee_id WHERE i.webcast_id = @webcastId AND v.email = @email
        """, new { webcastId, email });

    [Test]
    public void The_swedish_teams_report_is_read_from_utf16_with_sessions_summed_guests_kept_and_organisers_left_out()
    {
        var report = AttendanceReports.Parse(Report("teams-sv.csv"));
        Assert.That(report.Source, Is.EqualTo("teams"));
        Assert.That(report.Rows.Select(r => (r.Key, r.Minutes)), Is.EquivalentTo(new[]
        {
            ("email:anna.andersson@uppsala.se", 45), ("email:bo.berg@uppsala.se", 5), ("name:gäst gästsson (gäst)", 40),
        }));
        Assert.That(report.IgnoredRows, Is.EqualTo(1), "the organiser");
        var en = AttendanceReports.Parse(Report("teams-en.csv"));
        Assert.That(en.Rows.Select(r => r.Minutes), Is.EqualTo(new[] { 45, 15 }));
    }

    [Test]
    public void The_zoom_report_sums_join_sessions_per_email_and_leaves_out_hosts_panelists_and_no_shows()
    {
        var report = AttendanceReports.Parse(Report("zoom-webinar.csv"));
        Assert.That(report.Source, Is.EqualTo("zoom"));
        Assert.That(report.Rows.Select(r => (r.Key, r.Minutes, r.Sessions)), Is.EquivalentTo(new[]
        {
            ("email:anna.andersson@uppsala.se", 11, 2), ("email:bo.berg@uppsala.se", 4, 1), ("name:gäst, utan e-post", 29, 1),
        }));
    }

    [Test]
    public async Task Teams_import_previews_matches_by_email_lists_the_guest_for_manual_matching_and_commits_once()
    {
        var (id, staff) = await HeldWebcastAsync();
        var cecilia = await InvitationIdAsync(id, "cecilia.ek@uppsala.se");

        using var preview = await staff.PostAsJsonAsync($"api/webcasts/{id}/attendance/imports/preview", Upload("teams-sv.csv"));
        var p = await JsonAsync(preview);
        Assert.That((int)preview.StatusCode, Is.EqualTo(200), p.ToString());
        Assert.That(p.GetProperty("matched").GetInt32(), Is.EqualTo(2));
        Assert.That(p.GetProperty("unmatched").GetInt32(), Is.EqualTo(1));
        var guest = p.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("invitationId").ValueKind == JsonValueKind.Null);
        Assert.That(guest.GetProperty("name").GetString(), Is.EqualTo("Gäst Gästsson (Gäst)"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM attendance"), Is.Zero, "a preview writes nothing");

        var matches = new Dictionary<string, Guid> { [guest.GetProperty("key").GetString()!] = cecilia };
        using var commit = await staff.PostAsJsonAsync($"api/webcasts/{id}/attendance/imports", Upload("teams-sv.csv", matches));
        var c = await JsonAsync(commit);
        Assert.That((int)commit.StatusCode, Is.EqualTo(200), c.ToString());
        Assert.That(c.GetProperty("matched").GetInt32(), Is.EqualTo(3));
        Assert.That(await StatusByEmailAsync(id, "anna.andersson@uppsala.se"), Is.EqualTo("attended"));
        Assert.That(await StatusByEmailAsync(id, "cecilia.ek@uppsala.se"), Is.EqualTo("attended"), "matched by hand");
        Assert.That(await StatusByEmailAsync(id, "bo.berg@uppsala.se"), Is.EqualTo("accepted"), "5 minutes is under the threshold of 10");
        Assert.That(await ScalarAsync<int>("SELECT minutes FROM attendance WHERE invitation_id = @cecilia", new { cecilia }), Is.EqualTo(40));

        var before = await ScalarAsync<string>("SELECT string_agg(id::text || minutes || recorded_at, ',' ORDER BY id) FROM attendance");
        using var again = await staff.PostAsJsonAsync($"api/webcasts/{id}/attendance/imports", Upload("teams-sv.csv", matches));
        Assert.That((await JsonAsync(again)).GetProperty("alreadyImported").GetBoolean(), Is.True);
        Assert.That(await ScalarAsync<string>("SELECT string_agg(id::text || minutes || recorded_at, ',' ORDER BY id) FROM attendance"), Is.EqualTo(before));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM attendance_imports"), Is.EqualTo(1));
    }

    [Test]
    public async Task Zoom_import_sums_sessions_over_the_threshold_and_does_not_count_panelists()
    {
        var (id, staff) = await HeldWebcastAsync();
        await ExecAsync("UPDATE tenant_settings SET attendance_threshold_minutes = 10 WHERE tenant_id = @A", new { A });
        using var commit = await staff.PostAsJsonAsync($"api/webcasts/{id}/attendance/imports", Upload("zoom-webinar.csv"));
        var c = await JsonAsync(commit);
        Assert.That((int)commit.StatusCode, Is.EqualTo(200), c.ToString());
        Assert.That(c.GetProperty("source").GetString(), Is.EqualTo("zoom"));
        Assert.That(c.GetProperty("unmatched").GetInt32(), Is.EqualTo(1), "the guest without e-mail");
        Assert.That(await StatusByEmailAsync(id, "anna.andersson@uppsala.se"), Is.EqualTo("attended"), "6 + 5 minutes");
        Assert.That(await StatusByEmailAsync(id, "bo.berg@uppsala.se"), Is.EqualTo("accepted"));
        Assert.That(await StatusByEmailAsync(id, "petra.panel@uppsala.se"), Is.EqualTo("accepted"), "panelists are not attendees");
        Assert.That(await StatusByEmailAsync(id, "cecilia.ek@uppsala.se"), Is.EqualTo("accepted"), "registered, did not attend");
    }

    [TestCase("teams-broken.csv", "2. Deltagare")]
    [TestCase("zoom-broken.csv", "fyra")]
    public async Task A_broken_report_gets_a_clear_error_and_nothing_is_imported(string file, string mentioned)
    {
        var (id, staff) = await HeldWebcastAsync();
        using var preview = await staff.PostAsJsonAsync($"api/webcasts/{id}/attendance/imports/preview", Upload(file));
        var problem = await AssertProblemAsync(preview, 400, "report_unreadable");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(mentioned));
        using var commit = await staff.PostAsJsonAsync($"api/webcasts/{id}/attendance/imports", Upload(file));
        await AssertProblemAsync(commit, 400, "report_unreadable");
        using var garbage = await staff.PostAsJsonAsync($"api/webcasts/{id}/attendance/imports",
            new { fileName = "x.png", contentBase64 = Convert.ToBase64String(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3 }) });
        await AssertProblemAsync(garbage, 400, "report_unreadable");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM attendance"), Is.Zero);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM attendance_imports"), Is.Zero);
    }

    [Test]
    public async Task Staff_mark_attendance_by_hand_and_can_take_the_mark_back()
    {
        var (id, staff) = await HeldWebcastAsync();
        var bo = await InvitationIdAsync(id, "bo.berg@uppsala.se");
        using (var marked = await staff.PutAsJsonAsync($"api/webcasts/{id}/invitations/{bo}/attendance", new { attended = true }))
            Assert.That((await JsonAsync(marked)).GetProperty("status").GetString(), Is.EqualTo("attended"));
        Assert.That(await ScalarAsync<string>("SELECT source FROM attendance WHERE invitation_id = @bo", new { bo }), Is.EqualTo("manual"));
        using (var unmarked = await staff.PutAsJsonAsync($"api/webcasts/{id}/invitations/{bo}/attendance", new { attended = false }))
            Assert.That((await JsonAsync(unmarked)).GetProperty("status").GetString(), Is.EqualTo("accepted"));
        var municipal = App.ClientAs("MunicipalUser", A, AMunicipality, tenantSlug: ASlug);
        using var forbidden = await municipal.PutAsJsonAsync($"api/webcasts/{id}/invitations/{bo}/attendance", new { attended = true });
        Assert.That((int)forbidden.StatusCode, Is.EqualTo(403));
    }

    [Test]
    public async Task The_lifecycle_job_moves_webcasts_to_live_and_completed_by_time_and_marks_absentees()
    {
        var staff = Staff();
        var w = await CreateScheduledAsync(staff);
        var id = w.GetProperty("id").GetGuid();
        var start = w.GetProperty("startsAt").GetDateTime().ToUniversalTime();
        await AddInviteeAsync("anna.andersson@uppsala.se");
        await AddInviteeAsync("bo.berg@uppsala.se");
        await AddInviteeAsync("cecilia.ek@uppsala.se");
        await InviteAsync(staff, id);
        await ExecAsync("UPDATE invitations SET status = 'accepted' WHERE webcast_id = @id", new { id });
        await ExecAsync("UPDATE invitations i SET status = 'declined' FROM invitees v WHERE v.id = i.invitee_id AND v.email = 'cecilia.ek@uppsala.se'");
        var anna = await InvitationIdAsync(id, "anna.andersson@uppsala.se");
        await ExecAsync($"INSERT INTO attendance (tenant_id, invitation_id, source, joined_at) VALUES ('{A}', @anna, 'tracked_link', now())", new { anna });

        var clock = new FakeTimeProvider(new DateTimeOffset(start.AddMinutes(-1)));
        using var scope = App.Services.CreateScope();
        var lifecycle = new WebcastLifecycle(scope.ServiceProvider.GetRequiredService<Db>(), clock, new AttendanceRecorder());

        Assert.That(await lifecycle.RunForTenantAsync(A), Is.EqualTo(new WebcastLifecycle.Result(0, 0, 0)));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await lifecycle.RunForTenantAsync(A)).Live, Is.EqualTo(1));
        Assert.That(await ScalarAsync<string>("SELECT status FROM webcasts WHERE id = @id", new { id }), Is.EqualTo("live"));
        clock.Advance(TimeSpan.FromMinutes(60));
        var done = await lifecycle.RunForTenantAsync(A);
        Assert.That(done.Completed, Is.EqualTo(1));
        Assert.That(await ScalarAsync<string>("SELECT status FROM webcasts WHERE id = @id", new { id }), Is.EqualTo("completed"));
        Assert.That(await StatusByEmailAsync(id, "anna.andersson@uppsala.se"), Is.EqualTo("attended"), "joined through the tracked link");
        Assert.That(await StatusByEmailAsync(id, "bo.berg@uppsala.se"), Is.EqualTo("absent"), "accepted, never came");
        Assert.That(await StatusByEmailAsync(id, "cecilia.ek@uppsala.se"), Is.EqualTo("declined"));
        Assert.That(await lifecycle.RunForTenantAsync(A), Is.EqualTo(new WebcastLifecycle.Result(0, 0, 0)), "idempotent");
    }
}
