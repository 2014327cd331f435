using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Jobs;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>An e-mail to a platform account without a tenant (SystemAdmin, NationalViewer): invitation or password reset.</summary>
public sealed record PlatformMessage(string Kind, string IdempotencyKey, string ToAddress, string UserId, object? Payload = null, string? Language = null);

/// <summary>
/// The platform outbox (<c>platform_email_outbox</c>, global; docs/decisions/0015): mail to accounts that belong to no
/// tenant, which the per-tenant <see cref="Outbox"/> cannot hold. Same templates (the defaults: no county overrides
/// them), composer and transport; the sender is <see cref="PlatformOutboxSender"/>.
/// </summary>
public static class PlatformOutbox
{
    /// <summary>Stands for the tenant in the transport (.eml folder <c>mail/platform/</c>) and in the Message-ID.</summary>
    public const string Id = "platform";

    public static readonly string[] Kinds = ["user_invitation", "password_reset"];

    /// <summary>The sender's side of platform mail: Lantmäteriet runs the campaign (DESIGN.md), the platform sends.</summary>
    public static TenantMail Mail { get; } = new()
    {
        TenantId = Id, Slug = Id, Name = "Lantmäteriet", SenderName = "Våga vara digital", TimeZone = "Europe/Stockholm",
    };

    /// <summary>Adds the message (in a global unit of work) unless one with the same key exists. Returns true when added.</summary>
    public static async Task<bool> EnqueueAsync(UnitOfWork uow, PlatformMessage message, CancellationToken ct = default)
    {
        if (!Kinds.Contains(message.Kind)) throw new ArgumentException($"Platform mail is {string.Join(" or ", Kinds)}.", nameof(message));
        var id = await uow.ExecuteScalarAsync<long?>("""
            INSERT INTO platform_email_outbox (kind, idempotency_key, user_id, to_address, payload, language)
            VALUES (@Kind, @IdempotencyKey, @UserId, @ToAddress, @payload::jsonb, coalesce(@Language, 'sv'))
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """, new
        {
            message.Kind, message.IdempotencyKey, message.UserId, message.ToAddress, message.Language,
            payload = JsonSerializer.Serialize(message.Payload ?? new { }, JsonSerializerOptions.Web),
        }, ct);
        return id is not null;
    }
}

/// <summary>
/// Delivers the platform outbox, in every process that runs the e-mail sender: one lane (a handful of messages a
/// month), lease with SKIP LOCKED, compose with the default templates, send, record — the tenant sender's rules
/// (lease, retries with back-off, permanent failures) on a table without tenants. Sent rows (with their single-use
/// link) are deleted after a week.
/// </summary>
public sealed class PlatformOutboxSender(IServiceProvider services, IOptions<EmailOptions> options, IOptions<JobsOptions> jobs,
    NpgsqlDataSource dataSource, TimeProvider clock, ILogger<PlatformOutboxSender> logger) : BackgroundService
{
    static readonly TimeSpan KeepSent = TimeSpan.FromDays(7);
    readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}:platform";
    DateTimeOffset _nextHousekeeping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobs.Value.RunsServer || !options.Value.SenderEnabled) return;
        await Task.Yield();
        var transport = services.GetRequiredService<IEmailTransport>();
        await using var session = transport.OpenSession();
        await OutboxSender.SendUntilStoppedAsync(ct => SendBatchAsync(session, _worker, ct), options.Value.PollInterval, clock, logger,
            "Platform outbox sender", stoppingToken);
    }

    /// <summary>One lease-compose-send-record round; returns how many messages it handled.</summary>
    public async Task<int> SendBatchAsync(IEmailSession session, string worker, CancellationToken ct)
    {
        var o = options.Value;
        OutboxRow[] rows;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            rows = (await conn.QueryAsync<OutboxRow>(new CommandDefinition("""
                WITH due AS (
                  SELECT id FROM platform_email_outbox
                   WHERE (status = 'pending' AND coalesce(next_attempt_at, due_at) <= now())
                      OR (status = 'sending' AND locked_until < now())
                   ORDER BY id LIMIT @batch FOR UPDATE SKIP LOCKED)
                UPDATE platform_email_outbox o
                   SET status = 'sending', locked_until = now() + make_interval(secs => @lease), attempts = o.attempts + 1,
                       claimed_by = @worker, updated_at = now()
                  FROM due WHERE o.id = due.id
                RETURNING o.id, @tenant AS TenantId, o.kind, o.idempotency_key AS IdempotencyKey, o.user_id AS UserId,
                          o.to_address AS ToAddress, o.payload::text AS PayloadJson, o.language, o.attempts, o.status, o.due_at AS DueAt
                """, new { batch = o.BatchSize, lease = (int)Math.Ceiling(o.LeaseDuration.TotalSeconds), worker, tenant = PlatformOutbox.Id },
                cancellationToken: ct))).OrderBy(r => r.Id).ToArray();
            if (rows.Length == 0 && clock.GetUtcNow() >= _nextHousekeeping)
            {
                _nextHousekeeping = clock.GetUtcNow() + TimeSpan.FromHours(1);
                await conn.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM platform_email_outbox WHERE status IN ('sent', 'cancelled') AND updated_at < @before",
                    new { before = (clock.GetUtcNow() - KeepSent).UtcDateTime }, cancellationToken: ct));
            }
        }
        if (rows.Length == 0) return 0;

        var composer = services.GetRequiredService<MessageComposer>();
        foreach (var row in rows)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            Composition composition;
            try
            {
                composition = await composer.ComposeAsync(PlatformOutbox.Mail, row, now);
            }
            catch (Exception e) when (e is TemplateException or FormatException or JsonException or ArgumentException)
            {
                composition = new Composition(null, Error: $"Mejlet kunde inte skapas: {e.Message}");
            }

            if (composition.Message is null)
            {
                var status = composition.SkipReason is not null ? "cancelled" : composition.DeferUntil is not null ? "pending" : "failed";
                await RecordAsync(row, worker, status, composition.SkipReason ?? composition.Error, ct, nextAttemptAt: composition.DeferUntil);
                continue;
            }
            var outcome = await session.SendAsync(composition.Message, PlatformOutbox.Id, row.Id, ct);
            if (outcome.Sent)
                await RecordAsync(row, worker, "sent", null, ct, messageId: composition.Message.MessageId);
            else if (outcome.Permanent || row.Attempts >= o.MaxAttempts)
            {
                logger.LogWarning("Platform outbox message {OutboxId} failed after {Attempts} attempts", row.Id, row.Attempts);
                await RecordAsync(row, worker, "failed", outcome.Error, ct);
            }
            else
                await RecordAsync(row, worker, "pending", outcome.Error, ct, nextAttemptAt: now + o.RetryDelay(row.Attempts));
        }
        return rows.Length;
    }

    async Task RecordAsync(OutboxRow row, string worker, string status, string? error, CancellationToken ct,
        DateTime? nextAttemptAt = null, string? messageId = null)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE platform_email_outbox
               SET status = @status, last_error = @error, next_attempt_at = @nextAttemptAt, message_id = coalesce(@messageId, message_id),
                   sent_at = CASE WHEN @status = 'sent' THEN now() ELSE sent_at END,
                   locked_until = NULL, claimed_by = NULL, updated_at = now()
             WHERE id = @id AND status = 'sending' AND claimed_by = @worker
            """, new
        {
            id = row.Id, status, worker, messageId, error = error is { Length: > 1000 } ? error[..1000] : error,
            nextAttemptAt = nextAttemptAt is { } n ? DateTime.SpecifyKind(n, DateTimeKind.Utc) : (DateTime?)null,
        }, cancellationToken: ct));
    }
}
