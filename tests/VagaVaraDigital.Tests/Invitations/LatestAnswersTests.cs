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
        Assert.That(rows[0].GetProperty("webcastTitle").GetString(), Is.EqualTo("Digitaliseringen och planprocessen"));
        Assert.That(rows[0].GetProperty("webcastId").GetGuid(), Is.EqualTo(id));
        Assert.That(rows[0].GetProperty("respondedAt").GetDateTime(), Is.GreaterThan(rows[1].GetProperty("respondedAt").GetDateTime()));

        var one = await GetJsonAsync(staff, "api/invitations/latest-answers?limit=1");
        Assert.That(one.GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_municipal_user_does_not_see_the_countys_answers()
    {
        using var response = await App.ClientAs("MunicipalUser", A, AMunicipality, tenantSlug: ASlug).GetAsync("api/invitations/latest-answers");
        Assert.That((int)response.StatusCode, Is.EqualTo(403));
    }
}
