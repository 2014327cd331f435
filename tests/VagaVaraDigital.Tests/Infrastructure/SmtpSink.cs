using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace VagaVaraDigital.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback (SmtpServer), in this process: it accepts every message (or answers as
/// <see cref="Respond"/> says, to simulate refusals) and keeps them, counting Message-IDs so duplicates show.
/// Shared with tools/ (fault test, benchmark) by file link.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    Task? _running;

    public int Port { get; private set; }

    /// <summary>Keep parsed messages (tests); off for the benchmark, which only counts.</summary>
    public bool KeepMessages { get; init; } = true;

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();
    public ConcurrentDictionary<string, int> MessageIds { get; } = new();
    long _accepted;
    public long Accepted => Interlocked.Read(ref _accepted);
    public int Duplicates => MessageIds.Values.Sum(n => n - 1);

    /// <summary>Accept mail only in a session that went through STARTTLS (<see cref="StartAsync"/>'s tls).</summary>
    public bool RequireTls { get; private init; }

    /// <summary>Messages accepted in a TLS session.</summary>
    public long AcceptedOverTls => Interlocked.Read(ref _acceptedOverTls);
    long _acceptedOverTls;

    /// <summary>By first recipient: null accepts; otherwise the SMTP answer (e.g. 550 or 451).</summary>
    public Func<string, SmtpResponse?>? Respond { get; set; }

    /// <param name="login">When set, the sink requires SMTP AUTH with this user name and password (over plain TCP: loopback only).</param>
    /// <param name="tls">When set, the sink offers STARTTLS with this certificate and accepts mail only over TLS.</param>
    public static async Task<SmtpSink> StartAsync(bool keepMessages = true, int port = 0, (string User, string Password)? login = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? tls = null)
    {
        var sink = new SmtpSink { KeepMessages = keepMessages, RequireTls = tls is not null };
        sink.Port = port != 0 ? port : FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(IPAddress.Loopback, sink.Port)).IsSecure(false)
                    .AuthenticationRequired(login is not null).AllowUnsecureAuthentication(login is not null && tls is null);
                if (tls is not null) e.Certificate(tls).SupportedSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
            })
            .MaxMessageSize(10 * 1024 * 1024)
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(sink));
        services.Add(new NoDelayListenerFactory());
        if (login is { } l) services.Add(new Login(l.User, l.Password));
        var server = new SmtpServer.SmtpServer(options, services);
        sink._running = server.StartAsync(sink._stop.Token);
        // Wait until it listens.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, sink.Port);
                break;
            }
            catch (SocketException) { await Task.Delay(20); }
        }
        return sink;
    }

    /// <summary>Waits until <paramref name="count"/> messages have been accepted; fails the test after <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(long count, TimeSpan timeout) =>
        Eventually.WaitForAsync($"{count} message(s) accepted by the SMTP sink", () => Accepted, n => n >= count, timeout, TimeSpan.FromMilliseconds(25));

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>
    /// Accepts connections with Nagle's algorithm off: the server writes its replies in small pieces, and with
    /// Nagle on, each waits for the client's delayed ACK (~40 ms) — the sink would then measure TCP, not SMTP.
    /// </summary>
    sealed class NoDelayListenerFactory : SmtpServer.Net.IEndpointListenerFactory
    {
        public SmtpServer.Net.IEndpointListener CreateListener(IEndpointDefinition endpoint) => new Listener(endpoint);

        sealed class Listener : SmtpServer.Net.IEndpointListener
        {
            readonly TcpListener _listener;

            public Listener(IEndpointDefinition endpoint)
            {
                _listener = new TcpListener(endpoint.Endpoint);
                _listener.Start();
            }

            public async Task<SmtpServer.IO.ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
            {
                var client = await _listener.AcceptTcpClientAsync(cancellationToken);
                client.NoDelay = true;
                return new Pipe(client);
            }

            public void Dispose() => _listener.Stop();
        }

        sealed class Pipe(TcpClient client) : SmtpServer.IO.ISecurableDuplexPipe
        {
            readonly Stream _tcp = client.GetStream();
            Stream? _tls;
            System.IO.Pipelines.PipeReader? _reader;
            System.IO.Pipelines.PipeWriter? _writer;
            Stream Current => _tls ?? _tcp;
            public System.IO.Pipelines.PipeReader Input => _reader ??= System.IO.Pipelines.PipeReader.Create(Current);
            public System.IO.Pipelines.PipeWriter Output => _writer ??= System.IO.Pipelines.PipeWriter.Create(Current);
            public bool IsSecure => _tls is not null;
            public System.Security.Authentication.SslProtocols SslProtocol =>
                (_tls as System.Net.Security.SslStream)?.SslProtocol ?? System.Security.Authentication.SslProtocols.None;

            /// <summary>STARTTLS: the TLS handshake on the same connection; reading and writing continue through it.</summary>
            public async Task UpgradeAsync(System.Security.Cryptography.X509Certificates.X509Certificate certificate,
                System.Security.Authentication.SslProtocols protocols, CancellationToken cancellationToken = default)
            {
                var ssl = new System.Net.Security.SslStream(_tcp, leaveInnerStreamOpen: true);
                await ssl.AuthenticateAsServerAsync(new System.Net.Security.SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = protocols,
                }, cancellationToken);
                _tls = ssl;
                _reader = null;
                _writer = null;
            }

            public void Dispose()
            {
                _tls?.Dispose();
                _tcp.Dispose();
                client.Dispose();
            }
        }
    }

    sealed class Login(string user, string password) : SmtpServer.Authentication.IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user1, string password1, CancellationToken cancellationToken) =>
            Task.FromResult(user1 == user && password1 == password);
    }

    sealed class Store(SmtpSink sink) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            var to = transaction.To.FirstOrDefault() is { } m ? $"{m.User}@{m.Host}" : "";
            if (sink.Respond?.Invoke(to) is { } answer) return Task.FromResult(answer);
            if (sink.RequireTls && !context.Pipe.IsSecure) return Task.FromResult(new SmtpResponse((SmtpReplyCode)530, "5.7.0 Must issue a STARTTLS command first"));
            if (context.Pipe.IsSecure) Interlocked.Increment(ref sink._acceptedOverTls);
            var message = MimeMessage.Load(new MemoryStream(buffer.ToArray()));
            sink.MessageIds.AddOrUpdate(message.MessageId ?? Guid.NewGuid().ToString(), 1, (_, n) => n + 1);
            if (sink.KeepMessages) sink.Messages.Enqueue(message);
            Interlocked.Increment(ref sink._accepted);
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null) { try { await _running; } catch (OperationCanceledException) { } }
        _stop.Dispose();
    }
}
