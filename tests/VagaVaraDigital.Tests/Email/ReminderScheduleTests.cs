using Dapper;
using Microsoft.Extensions.Time.Testing;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

public sealed class ReminderScheduleTests : ApiTest
{
    const string A = TwoTenants.A;

    // A Wednesday, 10:00 Stockholm (CET, UTC+1) — the clock the person answers at.
    static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);
    static FakeTimeProvider Clock() => new(new DateTimeOffset(Now));

    static async Task<DateTime> DbNowAsync()
    {
        await using var conn = await Database.OpenSuperuserAsync();
        return await conn.ExecuteScalarAsync<DateTime>("SELECT now()");
    }

    [Test]
    public async Task Accepting_schedules_the_tenants_reminders_relative_to_the_start()
    {
        var start = Now.AddDays(10);
        var webcast = await EmailData.WebcastAsync(Database, A, start);
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");

        var added = await EmailData.InTenantAsync(A, uow => ReminderSchedule.ScheduleForInvitationAsync(uow, invitation, time: Clock()));
        var again = await EmailData.InTenantAsync(A, uow => ReminderSchedule.ScheduleForInvitationAsync(uow, invitation, time: Clock()));

        var rows = await EmailData.OutboxAsync(Database, "reminder");
        Assert.Multiple(() =>
        {
            Assert.That(added, Is.EqualTo(3));
            Assert.That(again, Is.Zero, "idempotent");
            Assert.That(rows.Select(r => r.DueAt), Is.EqualTo(new[] { start.AddDays(-7), start.AddDays(-1), start.AddHours(-1) }));
            Assert.That(rows.Select(r => r.IdempotencyKey), Has.All.StartWith($"{invitation}:reminder:"));
            Assert.That(rows.Select(r => r.Status), Has.All.EqualTo("pending"));
        });
    }

    [Test]
    public async Task A_reminder_whose_time_had_passed_when_the_person_accepted_is_not_sent()
    {
        var start = Now.AddHours(20);   // the 7-day and 1-day reminders are already past
        var webcast = await EmailData.WebcastAsync(Database, A, start);
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");

        await EmailData.InTenantAsync(A, uow => ReminderSchedule.ScheduleForInvitationAsync(uow, invitation, time: Clock()));

        var rows = await EmailData.OutboxAsync(Database, "reminder");
        Assert.That(rows.Select(r => r.DueAt), Is.EqualTo(new[] { start.AddHours(-1) }));
    }

    [Test]
    public async Task Moving_a_webcast_recomputes_its_reminders_and_cancelling_it_drops_them()
    {
        var start = Now.AddDays(10);
        var webcast = await EmailData.WebcastAsync(Database, A, start);
        var (_, accepted, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        var (_, declined, _) = await EmailData.InvitationAsync(Database, A, webcast, "declined");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.RescheduleWebcastAsync(uow, webcast, time: Clock()));
        Assert.That((await EmailData.OutboxAsync(Database, "reminder")).Length, Is.EqualTo(3), "only the one who accepted");

        var moved = start.AddDays(2);
        await Database.ExecuteAsSuperuserAsync(
            $"UPDATE webcasts SET starts_at = '{moved:O}', schedule_version = schedule_version + 1 WHERE id = '{webcast}'");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.RescheduleWebcastAsync(uow, webcast, time: Clock()));

        var rows = await EmailData.OutboxAsync(Database, "reminder");
        Assert.Multiple(() =>
        {
            Assert.That(rows.Where(r => r.Status == "cancelled").Select(r => r.IdempotencyKey), Has.All.EndWith(":v1"));
            Assert.That(rows.Count(r => r.Status == "cancelled"), Is.EqualTo(3));
            Assert.That(rows.Where(r => r.Status == "pending").Select(r => r.DueAt),
                Is.EqualTo(new[] { moved.AddDays(-7), moved.AddDays(-1), moved.AddHours(-1) }));
            Assert.That(rows.Where(r => r.Status == "pending").Select(r => r.IdempotencyKey), Has.All.EndWith(":v2"));
            Assert.That(rows.Select(r => r.IdempotencyKey), Has.None.StartWith(declined.ToString()));
        });

        await Database.ExecuteAsSuperuserAsync($"UPDATE webcasts SET status = 'cancelled', schedule_version = schedule_version + 1 WHERE id = '{webcast}'");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.RescheduleWebcastAsync(uow, webcast, time: Clock()));
        Assert.That((await EmailData.OutboxAsync(Database, "reminder")).Select(r => r.Status), Has.All.EqualTo("cancelled"));
        Assert.That(accepted, Is.Not.EqualTo(Guid.Empty));
    }

    [Test]
    public async Task Declining_after_accepting_cancels_the_reminders_and_accepting_again_brings_them_back()
    {
        var webcast = await EmailData.WebcastAsync(Database, A, Now.AddDays(10));
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.ScheduleForInvitationAsync(uow, invitation, time: Clock()));
        await Database.ExecuteAsSuperuserAsync($"UPDATE invitations SET status = 'declined' WHERE id = '{invitation}'");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.ScheduleForInvitationAsync(uow, invitation, time: Clock()));
        Assert.That((await EmailData.OutboxAsync(Database, "reminder")).Select(r => r.Status), Has.All.EqualTo("cancelled"));

        await Database.ExecuteAsSuperuserAsync($"UPDATE invitations SET status = 'accepted' WHERE id = '{invitation}'");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.ScheduleForInvitationAsync(uow, invitation, time: Clock()));
        Assert.That((await EmailData.OutboxAsync(Database, "reminder")).Select(r => r.Status), Has.All.EqualTo("pending"));
    }

    [Test]
    public async Task A_nudge_goes_to_those_who_have_not_answered_and_never_between_21_and_07_Stockholm_time()
    {
        // Start Monday 2026-12-14 09:00 Stockholm (08:00 UTC): three days before = Friday 09:00 — inside the day.
        var start = new DateTime(2026, 12, 14, 8, 0, 0, DateTimeKind.Utc);
        var webcast = await EmailData.WebcastAsync(Database, A, start);
        var (_, unanswered, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent");
        await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.RescheduleWebcastAsync(uow, webcast, time: Clock()));
        var nudge = (await EmailData.OutboxAsync(Database, "nudge")).Single();
        Assert.That(nudge.DueAt, Is.EqualTo(start.AddDays(-3)));
        Assert.That(nudge.IdempotencyKey, Is.EqualTo($"{unanswered}:nudge:v1"));

        // Moved to start 23:30 Stockholm: three days before is 23:30 → the nudge waits until 07:00 the next morning.
        var late = new DateTime(2026, 12, 14, 22, 30, 0, DateTimeKind.Utc);
        await Database.ExecuteAsSuperuserAsync($"UPDATE webcasts SET starts_at = '{late:O}', schedule_version = 2 WHERE id = '{webcast}'");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.RescheduleWebcastAsync(uow, webcast, time: Clock()));
        var moved = (await EmailData.OutboxAsync(Database, "nudge")).Single(r => r.Status == "pending");
        Assert.That(moved.DueAt, Is.EqualTo(new DateTime(2026, 12, 12, 6, 0, 0, DateTimeKind.Utc)), "07:00 Stockholm (CET) the next day");

        // Early morning: 05:00 Stockholm → 07:00 the same day.
        Assert.That(ReminderSchedule.OutsideQuietHours(new DateTime(2026, 6, 10, 3, 0, 0, DateTimeKind.Utc), "Europe/Stockholm"),
            Is.EqualTo(new DateTime(2026, 6, 10, 5, 0, 0, DateTimeKind.Utc)), "07:00 CEST");
    }

    [Test]
    public async Task Reminders_follow_the_tenants_policy()
    {
        await Database.ExecuteAsSuperuserAsync($"UPDATE tenant_settings SET reminder_offsets_minutes = '{{2880,30}}' WHERE tenant_id = '{A}'");
        var start = Now.AddDays(10);
        var webcast = await EmailData.WebcastAsync(Database, A, start);
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "accepted");
        await EmailData.InTenantAsync(A, uow => ReminderSchedule.ScheduleForInvitationAsync(uow, invitation, time: Clock()));
        Assert.That((await EmailData.OutboxAsync(Database, "reminder")).Select(r => r.DueAt),
            Is.EqualTo(new[] { start.AddDays(-2), start.AddMinutes(-30) }));
        Assert.That(await DbNowAsync(), Is.Not.EqualTo(default(DateTime)));
    }
}
