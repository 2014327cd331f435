using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Delivers the outbox. Runs in every process that runs jobs (role all or worker) as
/// <see cref="EmailOptions.SenderConcurrency"/> lanes; each lane holds one transport session (one SMTP connection)
/// and repeats: lease a batch of due messages of any tenant (<c>email_outbox_claim</c>, SKIP LOCKED — two lanes or two
/// processes never lease the same row), read and compose them in their tenant's scope, send them one by one, and
/// record each outcome right after its send — so a crash repeats at most the message each lane had in flight.
/// A lane that loses PostgreSQL or SMTP waits and carries on by itself.
/// </summary>
public sealed class OutboxSender(IServiceProvider services, IOptions<EmailOptions> options, IOptions<JobsOptions> jobs,
    NpgsqlDataSource dataSource, TimeProvider clock, ILogger<OutboxSender> logger) : BackgroundService
{
    readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobs.Value.RunsServer || !options.Value.SenderEnabled) return;
        var transport = services.GetRequiredService<IEmailTransport>();
        logger.LogInformation("Outbox sender started: {Lanes} lanes, transport {Transport}", options.Value.SenderConcurrency, transport.Name);
        var lanes = Enumerable.Range(0, options.Value.SenderConcurrency).Select(i => RunLaneAsync(transport, i, stoppingToken)).ToArray();
        await Task.WhenAll(lanes);
    }

    async Task RunLaneAsync(IEmailTransport transport, int lane, CancellationToken stop)
    {
        await Task.Yield();
        await using var session = transport.OpenSession();
        await SendUntilStoppedAsync(ct => SendBatchAsync(session, $"{_worker}:{lane}", ct), options.Value.PollInterval, clock, logger,
            $"Outbox sender lane {lane}", stop);
    }

    /// <summary>
    /// A sender's loop, shared by the tenants' lanes and the platform outbox: a batch after another, waiting the poll
    /// interval when there was nothing to send, and backing off (0.5 s doubling to 10 s) while the database or the
    /// transport is away. Returns when stopped.
    /// </summary>
    internal static async Task SendUntilStoppedAsync(Func<CancellationToken, Task<int>> sendBatch, TimeSpan pollInterval, TimeProvider clock,
        ILogger logger, string sender, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var sent = await sendBatch(stop);
                failures = 0;
                if (sent == 0) await Task.Delay(pollInterval, clock, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
            {
                failures++;
                var wait = TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, Math.Min(failures, 6))));
                logger.LogWarning("{Sender}: {Error}; retrying in {Wait}", sender, e.Message, wait);
                try { await Task.Delay(wait, clock, stop); } catch (OperationCanceledException) { return; }
            }
        }
    }

    sealed record Claimed(long Id, string TenantId);

    /// <summary>One lease-compose-send-record round; returns how many messages it handled.</summary>
    public async Task<int> SendBatchAsync(IEmailSession session, string worker, CancellationToken ct)
    {
        var o = options.Value;
        Claimed[] claimed;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            claimed = (await conn.QueryAsync<Claimed>(new CommandDefinition(
                "SELECT id, tenant_id AS TenantId FROM email_outbox_claim(@batch, @lease, @worker)",
                new { batch = o.BatchSize, lease = (int)Math.Ceiling(o.LeaseDuration.TotalSeconds), worker }, cancellationToken: ct))).ToArray();
        }
        if (claimed.Length == 0) return 0;
        // Past half the lease, the rest of the batch goes back unsent: another sender may take it over once the
        // lease expires, and must not find this one still sending it (an overloaded machine would send twice).
        var leaseDeadline = clock.GetUtcNow() + o.LeaseDuration / 2;

        foreach (var group in claimed.GroupBy(c => c.TenantId))
        {
            var ids = group.Select(c => c.Id).ToArray();
            TenantMail tenant;
            OutboxRow[] rows;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<Db>();
                await using var uow = await db.BeginForTenantAsync(group.Key, ct);
                tenant = await TenantMail.LoadAsync(uow, ct);
                rows = (await uow.QueryAsync<OutboxRow>(OutboxRow.SelectSql + " WHERE o.id = ANY(@ids) ORDER BY o.id", new { ids }, ct)).ToArray();
            }
            var composer = services.GetRequiredService<MessageComposer>();
            foreach (var row in rows)
            {
                if (clock.GetUtcNow() > leaseDeadline)
                {
                    await RecordAsync(row, worker, "pending", null, ct, refundAttempt: true);
                    continue;
                }
                var now = clock.GetUtcNow().UtcDateTime;
                Composition composition;
                try
                {
                    composition = await composer.ComposeAsync(tenant, row, now);
                }
                catch (Exception e) when (e is TemplateException or FormatException or System.Text.Json.JsonException or ArgumentException)
                {
                    composition = new Composition(null, Error: $"Mejlet kunde inte skapas: {e.Message}");
                }

                if (composition.SkipReason is { } reason)
                {
                    await RecordAsync(row, worker, "cancelled", reason, ct);
                }
                else if (composition.DeferUntil is { } until)
                {
                    await RecordAsync(row, worker, "pending", null, ct, nextAttemptAt: until, refundAttempt: true);
                }
                else if (composition.Error is { } error)
                {
                    await RecordAsync(row, worker, "failed", error, ct, permanent: true);
                }
                else
                {
                    var outcome = await session.SendAsync(composition.Message!, row.TenantId, row.Id, ct);
                    if (outcome.Sent)
                    {
                        await RecordAsync(row, worker, "sent", null, ct, messageId: composition.Message!.MessageId, emlPath: outcome.EmlPath);
                    }
                    else if (outcome.Permanent)
                    {
                        logger.LogWarning("Outbox message {OutboxId} of tenant {TenantId} failed permanently", row.Id, row.TenantId);
                        await RecordAsync(row, worker, "failed", outcome.Error, ct, permanent: true);
                    }
                    else if (row.Attempts >= o.MaxAttempts)
                    {
                        logger.LogWarning("Outbox message {OutboxId} of tenant {TenantId} given up after {Attempts} attempts", row.Id, row.TenantId, row.Attempts);
                        await RecordAsync(row, worker, "failed", $"Gav upp efter {row.Attempts} försök. Senaste fel: {outcome.Error}", ct);
                    }
                    else
                    {
                        await RecordAsync(row, worker, "pending", outcome.Error, ct, nextAttemptAt: now + o.RetryDelay(row.Attempts));
                    }
                }
            }
        }
        return claimed.Length;
    }

    /// <summary>
    /// Records a message's outcome in its tenant's scope (one round trip: the tenant setting and the update run in
    /// one implicit transaction). Retried until PostgreSQL answers (up to the lease): a delivered message whose
    /// record is lost would be sent again.
    /// </summary>
    async Task RecordAsync(OutboxRow row, string worker, string status, string? error, CancellationToken ct,
        DateTime? nextAttemptAt = null, bool permanent = false, string? messageId = null, string? emlPath = null, bool refundAttempt = false)
    {
        var deadline = clock.GetUtcNow() + options.Value.LeaseDuration;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var batch = new NpgsqlBatch(conn)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1, true)") { Parameters = { new() { Value = row.TenantId } } },
                        new NpgsqlBatchCommand("""
                            UPDATE email_outbox
                               SET status = $2, last_error = $3, next_attempt_at = $4, permanent_failure = $5,
                                   message_id = coalesce($6, message_id), eml_path = coalesce($7, eml_path),
                                   sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END,
                                   attempts = attempts - CASE WHEN $9 THEN 1 ELSE 0 END,
                                   locked_until = NULL, claimed_by = NULL, updated_at = now()
                             WHERE id = $1 AND status = 'sending' AND claimed_by = $8
                            """)
                        {
                            Parameters =
                            {
                                new() { Value = row.Id },
                                new() { Value = status },
                                new() { Value = (object?)Truncate(error) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                                new() { Value = nextAttemptAt is { } n ? DateTime.SpecifyKind(n, DateTimeKind.Utc) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                                new() { Value = permanent },
                                new() { Value = (object?)messageId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                                new() { Value = (object?)emlPath ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                                new() { Value = worker },
                                new() { Value = refundAttempt },
                            },
                        },
                    },
                };
                await batch.ExecuteNonQueryAsync(ct);
                return;
            }
            catch (Exception e) when ((e is NpgsqlException or TimeoutException) && clock.GetUtcNow() < deadline && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Recording outbox message {OutboxId} failed ({Error}); retrying", row.Id, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (attempt + 1))), clock, ct);
            }
        }
    }

    static string? Truncate(string? s) => s is { Length: > 1000 } ? s[..1000] : s;
}
