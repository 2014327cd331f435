using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Cli;

namespace VagaVaraDigital.Tests.Webcasts;

public sealed class DemoWebcastsTests : WebcastTest
{
    [Test]
    public async Task The_demo_step_gives_each_tenant_a_schedule_with_invitations_and_runs_only_once()
    {
        for (var i = 0; i < 8; i++) await AddInviteeAsync($"demo{i}@uppsala.se");
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        await DemoData.DemoWebcastsStep(db, CancellationToken.None);
        await DemoData.DemoWebcastsStep(db, CancellationToken.None);

        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM webcasts WHERE tenant_id = '{A}'"), Is.EqualTo(4));
        Assert.That(await ScalarAsync<long>("SELECT count(DISTINCT tenant_id) FROM webcasts"), Is.EqualTo(21));
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM invitations WHERE tenant_id = '{A}'"), Is.EqualTo(12));
        var schedule = await GetJsonAsync(Staff(), "api/webcasts");
        Assert.That(schedule.GetArrayLength(), Is.EqualTo(4));
    }
}
