using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Tenancy;

public sealed class UnitOfWorkTests : ApiTest
{
    static async Task<T> WithDbAsync<T>(Func<Db, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<Db>());
    }

    [Test]
    public async Task Dapper_helpers_see_only_the_tenant_of_the_unit_of_work()
    {
        await TwoTenants.SeedAsync(Database);
        var tenants = await WithDbAsync(async db =>
        {
            await using var uow = await db.BeginForTenantAsync(TwoTenants.A);
            return (await uow.QueryAsync<string>("SELECT tenant_id FROM invitees")).ToArray();
        });
        Assert.That(tenants, Is.EqualTo(new[] { TwoTenants.A }));
    }

    [Test]
    public async Task Raw_commands_on_the_connection_are_scoped_too()
    {
        await TwoTenants.SeedAsync(Database);
        var count = await WithDbAsync(async db =>
        {
            await using var uow = await db.BeginForTenantAsync(TwoTenants.B);
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM invitees WHERE tenant_id = '01'", uow.Connection, uow.Transaction);
            return (long)(await cmd.ExecuteScalarAsync())!;
        });
        Assert.That(count, Is.EqualTo(1));
    }

    [TestCase("03'; DROP TABLE invitees; --")]
    [TestCase("3")]
    [TestCase("")]
    public void A_tenant_id_that_is_not_a_county_code_is_refused(string tenantId)
    {
        Assert.ThrowsAsync<ArgumentException>(() => WithDbAsync<int>(async db =>
        {
            await using var uow = await db.BeginForTenantAsync(tenantId);
            return 0;
        }));
    }
}
