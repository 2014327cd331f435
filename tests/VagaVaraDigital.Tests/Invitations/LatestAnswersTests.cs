using System.Net.Http.Json;
using VagaVaraDigital.Tests.Infrastructure;
using VagaVaraDigital.Tests.Webcasts;

namespace VagaVaraDigital.Tests.Invitations;

/// <summary>The county dashboard's "latest answers": who answered what to which webcast, newest first, staff only.</summary>
public sealed class LatestAnswersTests : WebcastTest
{
    [Test]
    public async Task Answers_are_listed_newest_first_with_name_webcast_answer_and_time_and_unanswered_or_erased_are_left_out()
    {
        var staff = Staff();
        var webcast = await CreateScheduledAsync(staff);
        var id = webcast.GetProperty("id").GetGuid();
        await AddInviteeAsync("anna@uppsala.se", firstName: "Anna");
        await AddInviteeAsync("bo@uppsala.se", firstName: "Bo");
        await AddInviteeAsync("cia@uppsala.se", firstName: "Cia");
        await AddInviteeAsync("dan@uppsala.se", firstName: "Dan");
        await InviteAsync(staff, id);
        await ExecAsync("""
            UPDATE invitations i SET status = x.status, responded_at = now() - x.ago
            FROM invitees v, (VALUES ('anna@uppsala.se', 'accepted', interval '2 hours'), ('bo@uppsala.se', 'declined', interval '1 hour'),
                                     ('dan@uppsala.se', 'accepted', interval '3 hours')) x(email, status, ago)
            WHERE v.id = i.invitee_id AND v.email = x.email
            """);
        await ExecAsync("UPDATE invitees SET status = 'erased', first_name = NULL, email = NULL, email_normalized = NULL WHERE email = 'dan@uppsala.se'");

        var answers = await GetJsonAsync(staff, "api/invitations/latest-answers");
        var rows = answers.EnumerateArray().ToArray();
        Assert.That(rows.Select(r => r.GetProperty("firstName").GetString()), Is.EqualTo(new[] { "Bo", "Anna" }), "newest first; Cia did not answer; Dan is erased");
        Assert.That(rows.Select(r => r.GetProperty("status").GetString()), Is.EqualTo(new[] { "declined", "accepted" }));
        Assert.That(rows.Select(r => r.GetProperty("answer").GetString()), Is.EqualTo(new[] { "declined", "accepted" }));
        Assert.That(rows[0].GetProperty("webcastTitle").GetString(), Is.EqualTo("Digitaliseringen och planprocessen"));
        Assert.That(rows[0].GetProperty("webcastId").GetGuid(), Is.EqualTo(id));
        Assert.That(rows[0].GetProperty("respondedAt").GetDateTime(), Is.GreaterThan(rows[1].GetProperty("respondedAt").GetDateTime()));

        var one = await GetJsonAsync(staff, "api/invitations/latest-answers?limit=1");
        Assert.That(one.GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task The_answer_given_is_listed_not_the_status_the_invitation_has_moved_on_to()
    {
        var staff = Staff();
        var id = (await CreateScheduledAsync(staff)).GetProperty("id").GetGuid();
        await AddInviteeAsync("anna@uppsala.se", firstName: "Anna");
        await AddInviteeAsync("bo@uppsala.se", firstName: "Bo");
        await InviteAsync(staff, id);
        var anna = await TokenOfAsync(id, "anna@uppsala.se");
        var bo = await TokenOfAsync(id, "bo@uppsala.se");
        using (var r = await Public().PostAsJsonAsync($"api/public/rsvp/{anna}", new { answer = "accept" })) Assert.That((int)r.StatusCode, Is.EqualTo(200));
        using (var r = await Public().PostAsJsonAsync($"api/public/rsvp/{bo}", new { answer = "decline" })) Assert.That((int)r.StatusCode, Is.EqualTo(200));

        // Both take part after all (staff mark them by hand): the invitations move on to "attended", the answers stay.
        await ExecAsync("UPDATE webcasts SET starts_at = now() - interval '3 hours' WHERE id = @id", new { id });
        foreach (var token in new[] { anna, bo })
        {
            var invitation = await ScalarAsync<Guid>("SELECT id FROM invitations WHERE token = @token", new { token });
            using var marked = await staff.PutAsJsonAsync($"api/webcasts/{id}/invitations/{invitation}/attendance", new { attended = true });
            Assert.That((int)marked.StatusCode, Is.LessThan(300), await marked.Content.ReadAsStringAsync());
        }
        Assert.That(await StatusOfAsync(anna), Is.EqualTo("attended"));
        Assert.That(await StatusOfAsync(bo), Is.EqualTo("attended"));

        var rows = (await GetJsonAsync(staff, "api/invitations/latest-answers")).EnumerateArray()
            .ToDictionary(r => r.GetProperty("firstName").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(rows["Anna"].GetProperty("answer").GetString(), Is.EqualTo("accepted"));
            Assert.That(rows["Bo"].GetProperty("answer").GetString(), Is.EqualTo("declined"), "Bo said no, whatever happened later");
            Assert.That(rows["Bo"].GetProperty("status").GetString(), Is.EqualTo("attended"), "the status is the invitation's current one");
        });

        // An answer from before the column existed (no answer stored): the status is the best guess.
        await ExecAsync("UPDATE invitations SET answer = NULL, status = 'declined' WHERE token = @bo", new { bo });
        var legacy = (await GetJsonAsync(staff, "api/invitations/latest-answers")).EnumerateArray()
            .Single(r => r.GetProperty("firstName").GetString() == "Bo");
        Assert.That(legacy.GetProperty("answer").GetString(), Is.EqualTo("declined"));
    }

    [Test]
    public async Task A_municipal_user_does_not_see_the_countys_answers()
    {
        using var response = await App.ClientAs("MunicipalUser", A, AMunicipality, tenantSlug: ASlug).GetAsync("api/invitations/latest-answers");
        Assert.That((int)response.StatusCode, Is.EqualTo(403));
    }
}
