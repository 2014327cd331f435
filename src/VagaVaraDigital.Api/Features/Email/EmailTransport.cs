using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>The result of handing one message to the transport.</summary>
public sealed record SendOutcome(bool Sent, bool Permanent, string? Error, string? EmlPath = null)
{
    public static SendOutcome Ok(string? emlPath = null) => new(true, false, null, emlPath);
    public static SendOutcome Temporary(string error) => new(false, false, error);
    public static SendOutcome Failed(string error) => new(false, true, error);
}

/// <summary>Where messages go: SMTP when configured, else .eml files (the embedded default).</summary>
public interface IEmailTransport
{
    string Name { get; }
    /// <summary>A session sends messages one at a time (one SMTP connection, reused).</summary>
    IEmailSession OpenSession();
}

public interface IEmailSession : IAsyncDisposable
{
    Task<SendOutcome> SendAsync(MimeMessage message, string tenantId, long outboxId, CancellationToken ct);
}

public static class EmailTransports
{
    public static IEmailTransport Create(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<EmailOptions>>().Value;
        return string.IsNullOrWhiteSpace(options.SmtpHost)
            ? new PickupDirectoryTransport(options)
            : new SmtpTransport(options, sp.GetRequiredService<ILogger<SmtpTransport>>());
    }
}

/// <summary>MailKit over SMTP: STARTTLS (or implicit TLS) and authentication when configured.</summary>
public sealed class SmtpTransport(EmailOptions options, ILogger<SmtpTransport> logger) : IEmailTransport
{
    public string Name => "smtp";

    public IEmailSession OpenSession() => new Session(options, logger);

    sealed class Session(EmailOptions options, ILogger logger) : IEmailSession
    {
        readonly SmtpClient _client = CreateClient(options);

        static SmtpClient CreateClient(EmailOptions options)
        {
            var client = new SmtpClient { Timeout = (int)options.SmtpTimeout.TotalMilliseconds };
            if (options.SmtpTrustedCertificate is { } pinned)
            {
                var fingerprint = Convert.FromHexString(pinned.Replace(":", ""));
                client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None
                    || certificate is not null && certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).AsSpan().SequenceEqual(fingerprint);
            }
            return client;
        }

        async Task EnsureConnectedAsync(CancellationToken ct)
        {
            if (_client.IsConnected) return;
            var security = options.SmtpSecurity switch
            {
                "ssl" => SecureSocketOptions.SslOnConnect,
                "auto" => SecureSocketOptions.Auto,
                "none" => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            // Our own socket, with Nagle's algorithm off: SMTP is a chatty request/response protocol and small writes
            // must not wait for the peer's delayed ACK.
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(options.SmtpHost!, options.SmtpPort, ct);
                await _client.ConnectAsync(socket, options.SmtpHost!, options.SmtpPort, security, ct);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            if (!string.IsNullOrEmpty(options.SmtpUsername))
            {
                await _client.AuthenticateAsync(options.SmtpUsername, options.SmtpPassword ?? "", ct);
            }
        }

        public async Task<SendOutcome> SendAsync(MimeMessage message, string tenantId, long outboxId, CancellationToken ct)
        {
            // A connection that sat idle may have been closed by the server: one fresh connection is tried at once
            // before the message counts as temporarily failed (and waits for its backoff).
            var reused = _client.IsConnected;
            var outcome = await SendOnceAsync(message, outboxId, ct);
            if (reused && outcome.ConnectionLost) outcome = await SendOnceAsync(message, outboxId, ct);
            return outcome.Result;
        }

        async Task<(SendOutcome Result, bool ConnectionLost)> SendOnceAsync(MimeMessage message, long outboxId, CancellationToken ct)
        {
            try
            {
                await EnsureConnectedAsync(ct);
                await _client.SendAsync(message, ct);
                return (SendOutcome.Ok(), false);
            }
            catch (SmtpCommandException e)
            {
                // 5xx: the server refuses for good (no such mailbox, rejected); 4xx: try again later. Except the
                // answers about our own login (530 authentication required, 535 refused, 538 encryption required):
                // they say nothing about the recipient, so the message waits until the configuration is fixed.
                var code = (int)e.StatusCode;
                var text = $"SMTP {code} ({e.ErrorCode}): {e.Message}";
                var permanent = code >= 500 && code is not (530 or 535 or 538);
                return (permanent ? SendOutcome.Failed(text) : SendOutcome.Temporary(text), false);
            }
            catch (ServiceNotAuthenticatedException e)
            {
                // The server wants a login and none is configured (Email__SmtpUsername): our configuration, retried.
                logger.LogError("SMTP server requires authentication for outbox message {OutboxId}: {Error}", outboxId, e.Message);
                await DisconnectQuietlyAsync();
                return (SendOutcome.Temporary($"SMTP-servern kräver inloggning (Email__SmtpUsername/Email__SmtpPassword): {e.Message}"), false);
            }
            catch (AuthenticationException e)
            {
                logger.LogError("SMTP authentication failed for outbox message {OutboxId}: {Error}", outboxId, e.Message);
                await DisconnectQuietlyAsync();
                return (SendOutcome.Temporary($"SMTP-inloggningen misslyckades: {e.Message}"), false);
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException
                                           or SslHandshakeException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                await DisconnectQuietlyAsync();
                return (SendOutcome.Temporary($"{e.GetType().Name}: {e.Message}"), true);
            }
        }

        async Task DisconnectQuietlyAsync()
        {
            try { if (_client.IsConnected) await _client.DisconnectAsync(false); }
            catch (Exception) { /* the connection is gone either way */ }
        }

        public async ValueTask DisposeAsync()
        {
            try { if (_client.IsConnected) await _client.DisconnectAsync(true); }
            catch (Exception) { /* closing */ }
            _client.Dispose();
        }
    }
}

/// <summary>
/// The embedded default: no SMTP server configured, so every message is written as an .eml file under
/// <c>{data folder}/mail/{tenant}/</c>; the admin UI's outbox view shows it. ./run.sh works offline.
/// </summary>
public sealed class PickupDirectoryTransport(EmailOptions options) : IEmailTransport
{
    public string Name => "pickup";

    public IEmailSession OpenSession() => new Session(options.ResolvedPickupDirectory);

    sealed class Session(string root) : IEmailSession
    {
        public async Task<SendOutcome> SendAsync(MimeMessage message, string tenantId, long outboxId, CancellationToken ct)
        {
            try
            {
                var dir = Path.Combine(root, tenantId);
                Directory.CreateDirectory(dir);
                var path = Path.Combine(dir, $"{outboxId}.eml");
                var temp = path + ".tmp";
                await using (var file = File.Create(temp))
                {
                    await message.WriteToAsync(file, ct);
                }
                File.Move(temp, path, overwrite: true);
                return SendOutcome.Ok(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return SendOutcome.Temporary($"{e.GetType().Name}: {e.Message}");
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
