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

    /// <summary>Rounds until nothing is due; returns how many messages were handled.</summary>
    public async Task<int> DrainAsync(string worker = "test")
    {
        var sender = Sender();
        await using var session = Transport().OpenSession();
        var total = 0;
        for (var n = -1; n != 0;)
        {
            n = await sender.SendBatchAsync(session, worker, CancellationToken.None);
            total += n;
        }
        return total;
    }
}
