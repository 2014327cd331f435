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

    [Test]
    public async Task A_read_unit_sees_only_its_tenant_in_every_query_and_cannot_write()
    {
        await TwoTenants.SeedAsync(Database);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        await using var read = await db.ReadForTenantAsync(TwoTenants.B);

        var first = (await read.QueryAsync<string>("SELECT tenant_id FROM invitees")).ToArray();
        var second = await read.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE tenant_id <> '01'");
        var write = Assert.ThrowsAsync<PostgresException>(() => read.ExecuteAsync("DELETE FROM audit_log"));
        var afterward = await read.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log");

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { TwoTenants.B }));
            Assert.That(second, Is.Zero);
            Assert.That(write!.SqlState, Is.EqualTo(PostgresErrorCodes.ReadOnlySqlTransaction));
            Assert.That(afterward, Is.EqualTo(1), "nothing deleted, and the scope holds after a failed command");
            Assert.Throws<InvalidOperationException>(() => _ = read.Connection, "no unscoped raw access");
        });
    }

    [Test]
    public async Task A_global_read_unit_sees_no_tenant_rows()
    {
        await TwoTenants.SeedAsync(Database);
        await using var scope = App.Services.CreateAsyncScope();
        await using var read = await scope.ServiceProvider.GetRequiredService<Db>().ReadGlobalAsync();
        Assert.That(await read.ExecuteScalarAsync<long>("SELECT count(*) FROM invitees"), Is.Zero);
        Assert.That(await read.ExecuteScalarAsync<long>("SELECT count(*) FROM counties"), Is.EqualTo(21));
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
