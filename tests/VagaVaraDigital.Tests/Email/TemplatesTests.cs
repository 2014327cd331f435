using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

public sealed class TemplatesTests : ApiTest
{
    const string A = TwoTenants.A;

    static HttpClient Admin() => App.ClientAs("CountyAdmin", A, tenantSlug: TwoTenants.ASlug);

    [Test]
    public async Task Every_kind_has_a_Swedish_and_an_English_default_that_renders_into_accessible_HTML_and_text()
    {
        var templates = App.Services.GetRequiredService<EmailTemplates>();
        var composer = App.Services.GetRequiredService<MessageComposer>();
        var tenant = new TenantMail { TenantId = A, Slug = "uppsala", Name = "Länsstyrelsen i Uppsala län", SenderName = "Länsstyrelsen i Uppsala län" };
        foreach (var kind in DefaultTemplates.Kinds)
        {
            foreach (var language in DefaultTemplates.Languages)
            {
                var row = MessageComposer.Sample(kind, language, DateTime.UtcNow);
                var composed = await composer.ComposeAsync(tenant, row, DateTime.UtcNow, checkRules: false);
                var m = composed.Message!;
                Assert.Multiple(() =>
                {
                    Assert.That(m.Subject, Is.Not.Empty.And.Not.Contain("{{"), $"{kind}/{language}");
                    Assert.That(m.TextBody, Is.Not.Empty.And.Not.Contain("{{").And.Not.Contain("{%"), $"{kind}/{language}");
                    Assert.That(m.HtmlBody, Does.Contain($"<html lang=\"{language}\">").And.Contain("<title>"), $"{kind}/{language}");
                    Assert.That(m.HtmlBody, Does.Not.Contain("<img").And.Not.Contain("<table"), $"{kind}/{language}");
                    Assert.That(m.Headers.Contains("List-Unsubscribe"), Is.EqualTo(DefaultTemplates.IsCampaignMail(kind)), $"{kind}/{language}");
                });
            }
            Assert.That(DefaultTemplates.Get(kind, "sv").Subject, Is.Not.EqualTo(DefaultTemplates.Get(kind, "en").Subject), kind);
        }
    }

    [Test]
    public async Task A_county_admin_saves_a_template_the_sender_then_uses_and_can_go_back_to_the_default()
    {
        using var saved = await Admin().PutAsJsonAsync("api/email/templates/reminder/sv", new
        {
            subject = "Snart dags: {{ webcast.title }} {{ reminder.lead }}",
            body = "Hej {{ recipient.first_name }}!\n\nVi ses {{ webcast.starts_at }}.\n\n[Anslut]({{ links.join }})",
        });
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());

        var list = await GetJsonAsync(Admin(), "api/email/templates");
        var reminder = list.EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "reminder" && t.GetProperty("language").GetString() == "sv");
        Assert.That(reminder.GetProperty("isCustom").GetBoolean(), Is.True);
        Assert.That(list.GetArrayLength(), Is.EqualTo(DefaultTemplates.Kinds.Length * 2));

        await using var sink = await SmtpSink.StartAsync();
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(3), title: "Planera digitalt");
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EmailData.InTenantAsync(A, uow => Outbox.EnqueueAsync(uow, new OutboxMessage("reminder", $"{invitation}:reminder:1440:v1",
            "anna@kommun.example", invitation, Payload: new { scheduleVersion = 1, offsetMinutes = 1440 })));
        await new SenderHarness(sink).DrainAsync();
        Assert.That(sink.Messages.Single().Subject, Is.EqualTo("Snart dags: Planera digitalt i morgon"));

        using var reset = await Admin().DeleteAsync("api/email/templates/reminder/sv");
        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM email_templates WHERE tenant_id = @A", new { A }), Is.Zero);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE 'email.template%' AND tenant_id = @A", new { A }), Is.EqualTo(2));
    }

    [TestCase("{% if %}Hej", TestName = "Invalid Liquid")]
    [TestCase("Hej {{ recipient.first_name | no_such_filter }}", TestName = "Unknown filter")]
    [TestCase("{% for i in (1..100000000) %}x{% endfor %}", TestName = "Endless work")]
    [TestCase("{% include 'secrets' %}", TestName = "Include")]
    [TestCase("{% for i in (1..900) %}{% for j in (1..900) %}xxxxxxxxxx{% endfor %}{% endfor %}", TestName = "Huge output")]
    public async Task A_template_that_does_not_render_is_refused_and_nothing_is_saved(string body)
    {
        using var response = await Admin().PutAsJsonAsync("api/email/templates/invitation/sv", new { subject = "Inbjudan", body });
        var problem = await AssertProblemAsync(response, 400, "validation");
        Assert.That(problem.GetProperty("errors").GetProperty("body")[0].GetString(), Is.Not.Empty);
        await using var conn = await Database.OpenSuperuserAsync();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM email_templates WHERE tenant_id = @A", new { A }), Is.Zero);
    }

    [Test]
    public async Task Unknown_kind_or_language_is_refused()
    {
        using var kind = await Admin().PutAsJsonAsync("api/email/templates/spam/sv", new { subject = "x", body = "y" });
        await AssertProblemAsync(kind, 400, "validation");
        using var lang = await Admin().PutAsJsonAsync("api/email/templates/invitation/de", new { subject = "x", body = "y" });
        await AssertProblemAsync(lang, 400, "validation");
    }

    [Test]
    public async Task The_preview_renders_a_draft_against_a_sample_invitation()
    {
        using var response = await Admin().PostAsJsonAsync("api/email/templates/preview", new
        {
            kind = "invitation", language = "sv", subject = "Till {{ recipient.name }}", body = "Välkommen till {{ webcast.title }}!\n\n[Svara]({{ links.rsvp }})",
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var preview = await JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(preview.GetProperty("subject").GetString(), Is.EqualTo("Till Anna Andersson"));
            Assert.That(preview.GetProperty("text").GetString(), Does.Contain("Välkommen till Digitalisering i praktiken!"));
            Assert.That(preview.GetProperty("html").GetString(), Does.Contain("<a href=\"https://uppsala.vagavaradigital.test/r/"));
        });
    }

    [Test]
    public async Task Templates_are_for_county_admins()
    {
        using var editor = await App.ClientAs("CountyEditor", A, tenantSlug: TwoTenants.ASlug).GetAsync("api/email/templates");
        Assert.That(editor.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
