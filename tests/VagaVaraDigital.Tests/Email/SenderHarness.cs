using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Jobs;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

/// <summary>The real sender of the shared app, pointed at an SMTP sink, driven round by round by the test.</summary>
public sealed class SenderHarness(SmtpSink sink, TimeProvider? clock = null, Action<EmailOptions>? configure = null)
{
    public EmailOptions Options { get; } = Configure(sink, configure);

    static EmailOptions Configure(SmtpSink sink, Action<EmailOptions>? configure)
    {
        var o = new EmailOptions { SmtpHost = "127.0.0.1", SmtpPort = sink.Port, SmtpSecurity = "none", BatchSize = 50, MaxAttempts = 3 };
        configure?.Invoke(o);
        return o;
    }

    public OutboxSender Sender()
    {
        var sp = PlatformFactory.Shared.Services;
        return new OutboxSender(sp, Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(new JobsOptions()),
            sp.GetRequiredService<NpgsqlDataSource>(), clock ?? TimeProvider.System, NullLogger<OutboxSender>.Instance);
    }

    public IEmailTransport Transport() => string.IsNullOrEmpty(Options.SmtpHost)
        ? new PickupDirectoryTransport(Options)
        : new SmtpTransport(Options, NullLogger<SmtpTransport>.Instance);

    /// <summary>
    /// Rounds until nothing is due; returns how many messages were handled. A message that is due again at once after
    /// every round (a deferral to a time the database already has passed: the test's clock behind the real one) would
    /// keep this going for ever: after <paramref name="maxRounds"/> rounds the test fails and says which messages.
    /// </summary>
    public async Task<int> DrainAsync(string worker = "test", int maxRounds = 1000)
    {
        var sender = Sender();
        await using var session = Transport().OpenSession();
        var total = 0;
        for (var (n, round) = (-1, 0); n != 0; round++)
        {
            if (round == maxRounds)
            {
                await using var conn = await TestRun.Database!.OpenSuperuserAsync();   // every tenant's rows
                await using var cmd = new NpgsqlCommand("""
                    SELECT string_agg(format('#%s %s %s next attempt %s', id, kind, status, coalesce(next_attempt_at, due_at)), '; ')
                      FROM email_outbox WHERE status IN ('pending', 'sending')
                    """, conn);
                Assert.Fail($"The outbox was still not drained after {maxRounds} rounds ({total} messages handled); due again each round: "
                    + $"{await cmd.ExecuteScalarAsync()} (database time {DateTime.UtcNow:O}, the sender's clock {clock?.GetUtcNow():O})");
            }
            n = await sender.SendBatchAsync(session, worker, CancellationToken.None);
            total += n;
        }
        return total;
    }
}
