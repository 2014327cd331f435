using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Identity.Store;
using VagaVaraDigital.Tests.Infrastructure;
using static VagaVaraDigital.Tests.Invitees.InviteeTestData;

namespace VagaVaraDigital.Tests.Invitees;

public sealed class InviteesApiTests : ApiTest
{
    static HttpClient Editor() => App.ClientAs("CountyEditor", TwoTenants.A, tenantSlug: TwoTenants.ASlug);
    static HttpClient Municipal(string municipality) => App.ClientAs("MunicipalUser", TwoTenants.A, municipality, tenantSlug: TwoTenants.ASlug);

    [Test]
    public async Task Create_trims_normalises_and_refuses_the_same_address_twice_in_a_tenant()
    {
        var client = Editor();
        var created = await CreateAsync(client, Person("Anna", "Svensson", "  Anna.Svensson@Uppsala.SE ", title: "Kommunstyrelsens ordförande"));
        Assert.That(created.GetProperty("email").GetString(), Is.EqualTo("Anna.Svensson@Uppsala.SE"));
        Assert.That(created.GetProperty("source").GetString(), Is.EqualTo("manual"));
        Assert.That(created.GetProperty("municipalityName").GetString(), Is.EqualTo("Uppsala"));

        using var again = await client.PostAsJsonAsync("api/invitees", Person("Anna", "S", "anna.svensson@uppsala.se"));
        await AssertProblemAsync(again, 409, "email_taken");

        // the same address in another tenant is fine, and gets the same person key
        var other = App.ClientAs("CountyEditor", TwoTenants.B, tenantSlug: TwoTenants.BSlug);
        await CreateAsync(other, Person("Anna", "Svensson", "anna.svensson@uppsala.se", municipality: "0180"));
        await using var su = await Database.OpenSuperuserAsync();
        var keys = (await su.QueryAsync<string>("SELECT DISTINCT person_key FROM invitees WHERE email_normalized = 'anna.svensson@uppsala.se'")).ToArray();
        Assert.That(keys, Has.Length.EqualTo(1));
        Assert.That(keys[0], Has.Length.EqualTo(64).And.Not.Contain("@"));
    }

    [Test]
    public async Task Internationalised_domains_are_accepted_and_compared_in_one_form()
    {
        var client = Editor();
        await CreateAsync(client, Person("Örjan", "Åström", "orjan@håbo.se", municipality: "0305"));
        using var again = await client.PostAsJsonAsync("api/invitees", Person("Örjan", "Åström", "ORJAN@" + new System.Globalization.IdnMapping().GetAscii("håbo.se"), municipality: "0305"));
        await AssertProblemAsync(again, 409, "email_taken");
    }

    [Test]
    public async Task Invalid_input_gets_field_errors_in_Swedish_and_changes_nothing()
    {
        var client = Editor();
        using var response = await client.PostAsJsonAsync("api/invitees", new
        {
            firstName = "", lastName = new string('x', 101), email = "inte-en-adress", municipalityCode = "0180", roleCategory = "kung",
        });
        var problem = await AssertProblemAsync(response, 400, "validation");
        var errors = problem.GetProperty("errors");
        Assert.Multiple(() =>
        {
            Assert.That(errors.GetProperty("firstName")[0].GetString(), Is.EqualTo("Förnamn saknas."));
            Assert.That(errors.GetProperty("lastName")[0].GetString(), Does.Contain("för lång"));
            Assert.That(errors.GetProperty("email")[0].GetString(), Is.EqualTo("Ogiltig e-postadress."));
            Assert.That(errors.GetProperty("municipalityCode")[0].GetString(), Is.EqualTo("Kommunen ligger inte i länet."));
            Assert.That(errors.GetProperty("roleCategory")[0].GetString(), Is.EqualTo("Okänd rollkategori."));
        });
        var page = await GetJsonAsync(client, "api/invitees");
        Assert.That(page.GetProperty("total").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task The_list_sorts_and_pages_in_Swedish_order()
    {
        var client = Editor();
        foreach (var last in new[] { "Öberg", "Zetterberg", "Ärlig", "andersson", "Åberg", "Eriksson" })
            await CreateAsync(client, Person("Kim", last, $"{Guid.NewGuid():N}@uppsala.se"));
        string[] expected = ["andersson", "Eriksson", "Zetterberg", "Åberg", "Ärlig", "Öberg"];

        var all = await GetJsonAsync(client, "api/invitees");
        Assert.That(Names(all), Is.EqualTo(expected));
        var desc = await GetJsonAsync(client, "api/invitees?dir=desc");
        Assert.That(Names(desc), Is.EqualTo(expected.Reverse().ToArray()));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetJsonAsync(client, "api/invitees?limit=4&counts=false" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(Names(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        } while (cursor is not null);
        Assert.That(seen, Is.EqualTo(expected));
        Assert.That(pages, Is.EqualTo(2));

        foreach (var sort in new[] { "email", "created", "updated" })
        {
            var first = await GetJsonAsync(client, $"api/invitees?sort={sort}&limit=5");
            var next = await GetJsonAsync(client, $"api/invitees?sort={sort}&limit=5&cursor={first.GetProperty("nextCursor").GetString()}");
            Assert.That(Names(first).Concat(Names(next)).Order(), Is.EquivalentTo(expected), sort);
        }
        using var bad = await client.GetAsync("api/invitees?cursor=%%%");
        await AssertProblemAsync(bad, 400, "validation");
    }

    [Test]
    public async Task Search_matches_names_email_and_title_with_Swedish_letters_in_any_case()
    {
        var client = Editor();
        await CreateAsync(client, Person("Åsa", "Öberg", "asa.oberg@uppsala.se", title: "Förvaltningschef"));
        await CreateAsync(client, Person("Asa", "Oberg", "a.o@knivsta.se", municipality: "0330"));
        await CreateAsync(client, Person("Per", "Lind", "per.lind@enkoping.se", municipality: "0381", title: "Kommundirektör"));

        Assert.That(Names(await GetJsonAsync(client, "api/invitees?q=ÅSA")), Is.EqualTo(new[] { "Öberg" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?q=öberg")), Is.EqualTo(new[] { "Öberg" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?q=oberg")), Is.EquivalentTo(new[] { "Oberg", "Öberg" }), "e-mail asa.oberg matches too");
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?q=KOMMUNDIREKT")), Is.EqualTo(new[] { "Lind" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?q=knivsta.se")), Is.EqualTo(new[] { "Oberg" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?q=per lind")), Is.EqualTo(new[] { "Lind" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?q=100%25")), Is.Empty, "LIKE wildcards are literal");
    }

    [Test]
    public async Task Filters_combine_and_counts_are_given_per_filter()
    {
        var client = Editor();
        await CreateAsync(client, Person("A", "Ett", "1@uppsala.se", "0380", "fortroendevald", tags: ["ks", "2026"]));
        await CreateAsync(client, Person("B", "Två", "2@uppsala.se", "0380", "forvaltningschef", tags: ["ks"]));
        await CreateAsync(client, Person("C", "Tre", "3@knivsta.se", "0330", "fortroendevald"));
        var d = await CreateAsync(client, Person("D", "Fyra", "4@lansstyrelsen.se", null, "lansstyrelsens_ledning"));
        using (await client.PostAsync($"api/invitees/{d.GetProperty("id").GetString()}/opt-out", null)) { }

        var uppsala = await GetJsonAsync(client, "api/invitees?municipality=0380");
        Assert.That(Names(uppsala), Is.EquivalentTo(new[] { "Ett", "Två" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?municipality=0380&roleCategory=fortroendevald")), Is.EqualTo(new[] { "Ett" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?tag=ks")), Is.EquivalentTo(new[] { "Ett", "Två" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?municipality=lansstyrelsen")), Is.EqualTo(new[] { "Fyra" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?status=opted_out")), Is.EqualTo(new[] { "Fyra" }));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees?municipality=0380,0330&roleCategory=fortroendevald")), Is.EquivalentTo(new[] { "Ett", "Tre" }));

        var counts = uppsala.GetProperty("counts");
        Assert.Multiple(() =>
        {
            Assert.That(uppsala.GetProperty("total").GetInt64(), Is.EqualTo(2));
            // each dimension is counted without its own filter, so the other choices show their numbers
            Assert.That(counts.GetProperty("municipality").GetProperty("0380").GetInt64(), Is.EqualTo(2));
            Assert.That(counts.GetProperty("municipality").GetProperty("0330").GetInt64(), Is.EqualTo(1));
            Assert.That(counts.GetProperty("municipality").GetProperty("lansstyrelsen").GetInt64(), Is.EqualTo(1));
            Assert.That(counts.GetProperty("roleCategory").GetProperty("fortroendevald").GetInt64(), Is.EqualTo(1));
            Assert.That(counts.GetProperty("tag").GetProperty("ks").GetInt64(), Is.EqualTo(2));
            Assert.That(counts.GetProperty("status").GetProperty("active").GetInt64(), Is.EqualTo(2));
        });
        using var bad = await client.GetAsync("api/invitees?roleCategory=kung&municipality=abc");
        await AssertProblemAsync(bad, 400, "validation");
    }

    [Test]
    public async Task A_municipal_user_sees_and_maintains_only_their_municipality()
    {
        var editor = Editor();
        var knivsta = await CreateAsync(editor, Person("Karin", "Knivstabo", "karin@knivsta.se", "0330"));
        var knivstaId = knivsta.GetProperty("id").GetString();
        var uppsalaUser = Municipal("0380");

        var nominated = await CreateAsync(uppsalaUser, Person("Ulla", "Uppsalabo", "ulla@uppsala.se", municipality: null));
        var id = nominated.GetProperty("id").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(nominated.GetProperty("municipalityCode").GetString(), Is.EqualTo("0380"));
            Assert.That(nominated.GetProperty("source").GetString(), Is.EqualTo("nomination"));
        });

        Assert.That(Names(await GetJsonAsync(uppsalaUser, "api/invitees")), Is.EqualTo(new[] { "Uppsalabo" }));
        Assert.That(Names(await GetJsonAsync(uppsalaUser, "api/invitees?municipality=0330")), Is.Empty);
        using (var r = await uppsalaUser.GetAsync($"api/invitees/{knivstaId}")) await AssertProblemAsync(r, 404, "not_found");
        using (var r = await uppsalaUser.PutAsJsonAsync($"api/invitees/{knivstaId}", Person("X", "Y", "karin@knivsta.se", "0380")))
            await AssertProblemAsync(r, 404, "not_found");
        using (var r = await uppsalaUser.PostAsJsonAsync("api/invitees", Person("Z", "Z", "z@knivsta.se", "0330")))
            await AssertProblemAsync(r, 400, "validation");
        using (var r = await uppsalaUser.PutAsJsonAsync($"api/invitees/{id}", Person("Ulla", "Uppsalabo", "ulla@uppsala.se", "0330")))
            await AssertProblemAsync(r, 400, "validation");
        using (var r = await uppsalaUser.DeleteAsync($"api/invitees/{id}")) await AssertProblemAsync(r, 403);
        using (var r = await uppsalaUser.GetAsync("api/invitees/export")) await AssertProblemAsync(r, 403);

        // correct, and flag as no longer in office
        using (var r = await uppsalaUser.PutAsJsonAsync($"api/invitees/{id}", new
        {
            firstName = "Ulla", lastName = "Uppsalabo-Berg", email = "ulla@uppsala.se", roleCategory = "kommunledning", noLongerInOffice = true,
        }))
        {
            Assert.That((int)r.StatusCode, Is.EqualTo(200), await r.Content.ReadAsStringAsync());
        }

        // county staff see who nominated what
        var seen = await GetJsonAsync(editor, $"api/invitees?source=nomination");
        var item = seen.GetProperty("items")[0];
        Assert.Multiple(() =>
        {
            Assert.That(item.GetProperty("lastName").GetString(), Is.EqualTo("Uppsalabo-Berg"));
            Assert.That(item.GetProperty("nominatedBy").GetString(), Is.EqualTo($"test-MunicipalUser-{TwoTenants.A}"));
            Assert.That(item.GetProperty("noLongerInOffice").GetBoolean(), Is.True);
            Assert.That(item.GetProperty("municipalityCode").GetString(), Is.EqualTo("0380"));
        });
        await using var su = await Database.OpenSuperuserAsync();
        var actions = (await su.QueryAsync<string>("SELECT action FROM audit_log WHERE target = @t ORDER BY id", new { t = $"invitee:{id}" })).ToArray();
        Assert.That(actions, Is.EqualTo(new[] { "invitee.nominated", "invitee.updated" }));
    }

    [Test]
    public async Task County_staff_see_the_nominators_name_and_a_municipal_user_sees_no_one_elses_id()
    {
        // The nominating account (the id ClientAs signs in with), and a namesake id in another county.
        await CreateAccountAsync($"test-MunicipalUser-{TwoTenants.A}", "Ulla Nominerare", "ulla.nominerare@uppsala.se", TwoTenants.A, "0380");
        var nominator = Municipal("0380");
        var id = (await CreateAsync(nominator, Person("Nils", "Nominerad", "nils@uppsala.se", municipality: null))).GetProperty("id").GetString();

        foreach (var staff in new[] { Editor(), App.ClientAs("CountyAdmin", TwoTenants.A, tenantSlug: TwoTenants.ASlug) })
        {
            var listed = (await GetJsonAsync(staff, "api/invitees?source=nomination")).GetProperty("items")[0];
            var one = await GetJsonAsync(staff, $"api/invitees/{id}");
            Assert.Multiple(() =>
            {
                Assert.That(listed.GetProperty("nominatedByName").GetString(), Is.EqualTo("Ulla Nominerare"));
                Assert.That(one.GetProperty("nominatedByName").GetString(), Is.EqualTo("Ulla Nominerare"));
                Assert.That(one.GetProperty("nominatedBy").GetString(), Is.EqualTo($"test-MunicipalUser-{TwoTenants.A}"));
                Assert.That(one.ToString(), Does.Not.Contain("ulla.nominerare@"), "the name only, never the nominator's address");
            });
        }

        // The nominator sees their own id (no name needed); a colleague in the same municipality sees neither.
        var own = await GetJsonAsync(nominator, $"api/invitees/{id}");
        Assert.That(own.GetProperty("nominatedBy").GetString(), Is.EqualTo($"test-MunicipalUser-{TwoTenants.A}"));
        Assert.That(own.GetProperty("nominatedByName").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        using var colleague = App.CreateClient(new() { BaseAddress = new Uri($"http://localhost/t/{TwoTenants.ASlug}/") });
        colleague.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(TestIdentity.SchemeName,
            $"role=MunicipalUser;tenant={TwoTenants.A};municipality=0380;id=colleague-in-0380");
        foreach (var seen in new[] { await GetJsonAsync(colleague, $"api/invitees/{id}"), (await GetJsonAsync(colleague, "api/invitees")).GetProperty("items")[0] })
        {
            Assert.Multiple(() =>
            {
                Assert.That(seen.GetProperty("nominatedBy").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "no other user's raw id");
                Assert.That(seen.GetProperty("nominatedByName").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            });
        }

        // The export says who nominated by name too (never the id or the address).
        using (var export = await Editor().GetAsync("api/invitees/export?format=csv"))
        {
            var csv = await export.Content.ReadAsStringAsync();
            Assert.That((int)export.StatusCode, Is.EqualTo(200), csv);
            Assert.That(csv, Does.Contain("Nominerad av").And.Contain("Ulla Nominerare"));
            Assert.That(csv, Does.Not.Contain("test-MunicipalUser").And.Not.Contain("ulla.nominerare@"));
        }

        // An account of another county with the same id is never taken for the nominator.
        await Database.ExecuteAsSuperuserAsync($"""UPDATE "AspNetUsers" SET "TenantId" = '{TwoTenants.B}' WHERE "Id" = 'test-MunicipalUser-{TwoTenants.A}'""");
        Assert.That((await GetJsonAsync(Editor(), $"api/invitees/{id}")).GetProperty("nominatedByName").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    static async Task CreateAccountAsync(string id, string displayName, string email, string tenantId, string municipality)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
        var result = await users.CreateAsync(new PlatformUser
        {
            Id = id, UserName = email, Email = email, DisplayName = displayName, Role = "MunicipalUser", TenantId = tenantId,
            MunicipalityCode = municipality, CreatedAt = DateTime.UtcNow,
        });
        Assert.That(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Description)));
    }

    [Test]
    public async Task Erasure_removes_personal_data_but_keeps_the_person_key_and_reach_counts()
    {
        await TwoTenants.SeedAsync(Database);
        var client = Editor();
        await using var su = await Database.OpenSuperuserAsync();
        var id = await su.ExecuteScalarAsync<Guid>("SELECT id FROM invitees WHERE tenant_id = @A", new { TwoTenants.A });
        const string reach = """
            SELECT count(DISTINCT i.person_key) FROM attendance a JOIN invitations v ON v.id = a.invitation_id
            JOIN invitees i ON i.id = v.invitee_id WHERE i.tenant_id = @A
            """;
        var reachBefore = await su.ExecuteScalarAsync<long>(reach, new { TwoTenants.A });
        var keyBefore = await su.ExecuteScalarAsync<string>("SELECT person_key FROM invitees WHERE id = @id", new { id });

        using (var r = await client.DeleteAsync($"api/invitees/{id}")) Assert.That((int)r.StatusCode, Is.EqualTo(204));
        using (var r = await client.DeleteAsync($"api/invitees/{id}")) Assert.That((int)r.StatusCode, Is.EqualTo(204), "idempotent");

        var row = await su.QuerySingleAsync("SELECT * FROM invitees WHERE id = @id", new { id });
        var d = (IDictionary<string, object?>)row;
        Assert.Multiple(() =>
        {
            foreach (var column in new[] { "first_name", "last_name", "email", "email_normalized", "title", "phone", "notes" })
                Assert.That(d[column], Is.Null, column);
            Assert.That(d["status"], Is.EqualTo("erased"));
            Assert.That(d["person_key"], Is.EqualTo(keyBefore));
            Assert.That((string)d["search_text"]!, Does.Not.Contain("synligt"));
        });
        Assert.That(await su.ExecuteScalarAsync<long>(reach, new { TwoTenants.A }), Is.EqualTo(reachBefore));
        Assert.That(await su.ExecuteScalarAsync<string>("SELECT to_address FROM email_outbox WHERE tenant_id = @A", new { TwoTenants.A }),
            Does.Not.Contain("synligt"));
        Assert.That(Names(await GetJsonAsync(client, "api/invitees")), Is.Empty, "erased rows are hidden by default");
        var audit = await su.ExecuteScalarAsync<string>("SELECT string_agg(target || details::text, ' ') FROM audit_log WHERE action = 'invitee.erased'");
        Assert.That(audit, Does.Contain(id.ToString()).And.Not.Contain("synligt"));
        using (var r = await client.PutAsJsonAsync($"api/invitees/{id}", Person("A", "B", "a@b.se"))) await AssertProblemAsync(r, 409, "erased");
    }

    [Test]
    public async Task Erasure_and_opt_out_leave_the_reach_report_unchanged()
    {
        await TwoTenants.SeedAsync(Database);
        await using var su = await Database.OpenSuperuserAsync();
        var id = await su.ExecuteScalarAsync<Guid>("SELECT id FROM invitees WHERE tenant_id = @A", new { TwoTenants.A });
        async Task<string[]> ReportAsync()
        {
            await using var conn = new Npgsql.NpgsqlConnection(Database.AppConnectionString);
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @A, true)", new { TwoTenants.A }, tx);
            return (await conn.QueryAsync<string>(
                "SELECT row_to_json(r)::text FROM reach_county_figures('2030-01-01T00:00:00Z'::timestamptz) r ORDER BY 1", transaction: tx)).ToArray();
        }
        var before = await ReportAsync();
        Assert.That(string.Join("", before), Does.Contain("\"reached\":1"), "the seeded attendance counts as reached");
        using (var r = await Editor().PostAsync($"api/invitees/{id}/opt-out", null)) Assert.That((int)r.StatusCode, Is.EqualTo(204));
        Assert.That(await ReportAsync(), Is.EqualTo(before));
        using (var r = await Editor().DeleteAsync($"api/invitees/{id}")) Assert.That((int)r.StatusCode, Is.EqualTo(204));
        Assert.That(await ReportAsync(), Is.EqualTo(before));
    }
}
