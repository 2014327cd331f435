using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Invitations;
using VagaVaraDigital.Api.Features.Invitees;
using VagaVaraDigital.Api.Features.Webcasts;

namespace VagaVaraDigital.Cli;

public static partial class DemoData
{
    /// <summary>
    /// Demo webcasts for every tenant: one held three weeks ago (with attendance), two coming ones (the first
    /// with invitations to the tenant's demo invitees, some answered) and a draft. No e-mail is queued.
    /// </summary>
    public static async Task DemoWebcastsStep(Db db, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(StockholmTime.ToLocal(DateTime.UtcNow).DateTime);
        DateTime At(int days, int hour) => StockholmTime.FromWallClock(today.AddDays(days).ToDateTime(new TimeOnly(hour, 0))).Utc;

        await using (var global = await db.BeginGlobalAsync(ct))
        {
            var tenants = (await global.QueryAsync<string>("SELECT id FROM tenants WHERE is_active ORDER BY id", ct: ct)).ToArray();
            await global.DisposeAsync();
            foreach (var tenant in tenants)
            {
                await using var uow = await db.BeginForTenantAsync(tenant, ct);
                if (await uow.ExecuteScalarAsync<long>("SELECT count(*) FROM webcasts", ct: ct) > 0) continue;
                async Task<Guid> Webcast(string title, DateTime start, string status, int? capacity, string? recording = null) =>
                    await uow.ExecuteScalarAsync<Guid>("""
                        INSERT INTO webcasts (tenant_id, title, description, starts_at, duration_minutes, platform, join_url, recording_url, capacity, status)
                        VALUES (@tenant, @title, @description, @start, 90, 'teams', 'https://teams.microsoft.com/l/meetup-join/demo', @recording, @capacity, @status)
                        RETURNING id
                        """, new
                    {
                        tenant, title, start, status, capacity, recording,
                        description = "Lantmäteriet och länsstyrelsen visar vad digitaliseringen av samhällsbyggnadsprocessen betyder för kommunens ledning.\n\nSändningen är interaktiv: ställ frågor i chatten.",
                    }, ct);
                var held = await Webcast("Våga vara digital! Del 1: Varför digitalisera planprocessen?", At(-21, 9), "completed", null,
                    "https://video.example/vaga-vara-digital-del-1");
                var next = await Webcast("Våga vara digital! Del 2: Detaljplanen som data", At(14, 10), "scheduled", 60);
                await Webcast("Våga vara digital! Del 3: Bygglov i en digital kedja", At(35, 13), "scheduled", null);
                await Webcast("Våga vara digital! Del 4: Frågestund (utkast)", At(60, 9), "draft", null);

                var invitees = (await uow.QueryAsync<Guid>($"SELECT v.id FROM invitees v WHERE {InviteeRules.CanBeInvitedSql("v")} ORDER BY v.id LIMIT 80", ct: ct)).ToArray();
                for (var i = 0; i < invitees.Length; i++)
                {
                    var nextStatus = (i % 4) switch { 0 => "accepted", 1 => "declined", 2 => "sent", _ => "accepted" };
                    await uow.ExecuteAsync("""
                        INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token, status, sent_at, responded_at)
                        VALUES (@tenant, @next, @invitee, @t1, @nextStatus, now(), CASE WHEN @nextStatus <> 'sent' THEN now() END);
                        """, new { tenant, next, invitee = invitees[i], t1 = InvitationTokens.New(), nextStatus }, ct);
                    if (i % 2 == 0) continue;
                    var heldId = await uow.ExecuteScalarAsync<Guid>("""
                        INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token, status, sent_at, responded_at)
                        VALUES (@tenant, @held, @invitee, @t2, @heldStatus, now() - interval '30 days', now() - interval '25 days')
                        RETURNING id
                        """, new { tenant, held, invitee = invitees[i], t2 = InvitationTokens.New(), heldStatus = i % 3 == 0 ? "absent" : "attended" }, ct);
                    if (i % 3 != 0)
                    {
                        await uow.ExecuteAsync("""
                            INSERT INTO attendance (tenant_id, invitation_id, source, minutes, recorded_at) VALUES (@tenant, @heldId, 'teams', @minutes, now())
                            """, new { tenant, heldId, minutes = 20 + i % 70 }, ct);
                    }
                }
                await uow.CommitAsync(ct);
            }
        }
    }
}
