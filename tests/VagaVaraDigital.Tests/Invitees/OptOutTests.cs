using Dapper;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Invitees;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Invitees;

public sealed class OptOutTests : ApiTest
{
    static async Task<T> InTenantAsync<T>(string tenant, Func<UnitOfWork, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await using var uow = await scope.ServiceProvider.GetRequiredService<Db>().BeginForTenantAsync(tenant);
        var result = await work(uow);
        await uow.CommitAsync();
        return result;
    }

    [Test]
    public async Task Opt_out_stops_email_cancels_pending_and_is_audited_without_personal_data()
    {
        await TwoTenants.SeedAsync(Database);
        await using var su = await Database.OpenSuperuserAsync();
        var id = await su.ExecuteScalarAsync<Guid>("SELECT id FROM invitees WHERE tenant_id = @A", new { TwoTenants.A });

        Assert.That(await InTenantAsync(TwoTenants.A, uow => InviteeOptOut.OptOutAsync(uow, id, CancellationToken.None)), Is.True);
        Assert.That(await InTenantAsync(TwoTenants.A, uow => InviteeOptOut.OptOutAsync(uow, id, CancellationToken.None)), Is.True, "idempotent");

        var row = await su.QuerySingleAsync<(string Status, DateTime? OptedOutAt)>("SELECT status, opted_out_at FROM invitees WHERE id = @id", new { id });
        Assert.That(row.Status, Is.EqualTo("opted_out"));
        Assert.That(row.OptedOutAt, Is.Not.Null);
        Assert.That(await su.ExecuteScalarAsync<string>("SELECT status FROM email_outbox WHERE tenant_id = @A", new { TwoTenants.A }), Is.EqualTo("cancelled"));
        Assert.That(await su.ExecuteScalarAsync<string>("SELECT status FROM email_outbox WHERE tenant_id = @B", new { TwoTenants.B }), Is.EqualTo("pending"));

        var audit = (await su.QueryAsync<string>("SELECT target || ' ' || details::text FROM audit_log WHERE action = 'invitee.opted_out'")).ToArray();
        Assert.That(audit, Has.Length.EqualTo(1));
        Assert.That(audit[0], Does.Contain(id.ToString()).And.Not.Contain("synligt-a@"));

        var emailable = await su.ExecuteScalarAsync<long>($"SELECT count(*) FROM invitees i WHERE i.id = @id AND {InviteeRules.CanBeEmailedSql("i")}", new { id });
        Assert.That(emailable, Is.Zero);
    }

    [Test]
    public async Task Opt_out_of_another_tenants_invitee_finds_nothing()
    {
        await TwoTenants.SeedAsync(Database);
        await using var su = await Database.OpenSuperuserAsync();
        var bId = await su.ExecuteScalarAsync<Guid>("SELECT id FROM invitees WHERE tenant_id = @B", new { TwoTenants.B });
        Assert.That(await InTenantAsync(TwoTenants.A, uow => InviteeOptOut.OptOutAsync(uow, bId, CancellationToken.None)), Is.False);
        Assert.That(await su.ExecuteScalarAsync<string>("SELECT status FROM invitees WHERE id = @bId", new { bId }), Is.EqualTo("active"));
    }
}
