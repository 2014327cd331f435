using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

/// <summary>
/// STARTTLS, the default (Email:SmtpSecurity = starttls), against a sink that accepts mail only after the TLS handshake,
/// with a certificate of its own (self-signed, for localhost and 127.0.0.1): not trusted by default — the message waits
/// and says why — and accepted when its fingerprint is configured (Email:SmtpTrustedCertificate).
/// </summary>
public sealed class SmtpTlsTests : ApiTest
{
    const string A = TwoTenants.A;

    static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS #12 so that the private key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    [Test]
    public async Task Mail_goes_over_STARTTLS_only_to_a_server_whose_certificate_is_trusted()
    {
        using var certificate = SelfSigned();
        await using var sink = await SmtpSink.StartAsync(tls: certificate);
        var webcast = await EmailData.WebcastAsync(Database, A, DateTime.UtcNow.AddDays(5));
        var (_, invitation, _) = await EmailData.InvitationAsync(Database, A, webcast, "sent", "anna@kommun.example");
        await EmailData.InTenantAsync(A, uow => Outbox.EnqueueAsync(uow,
            new OutboxMessage("invitation", $"{invitation}:invitation:v1", "anna@kommun.example", invitation)));

        // Without encryption the server refuses (530: about us, not the recipient) and the message waits.
        await new SenderHarness(sink).DrainAsync();
        var plain = (await EmailData.OutboxAsync(Database, "invitation")).Single();
        Assert.That((plain.Status, plain.PermanentFailure, sink.Accepted), Is.EqualTo(("pending", false, 0L)), plain.LastError);
        await Database.ExecuteAsSuperuserAsync($"UPDATE email_outbox SET next_attempt_at = now() WHERE id = {plain.Id}");

        // STARTTLS with a certificate no trusted CA signed: the handshake is refused, nothing is sent, the message waits.
        await new SenderHarness(sink, configure: o => o.SmtpSecurity = "starttls").DrainAsync();
        var untrusted = (await EmailData.OutboxAsync(Database, "invitation")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(sink.Accepted, Is.Zero);
            Assert.That((untrusted.Status, untrusted.PermanentFailure), Is.EqualTo(("pending", false)));
            Assert.That(untrusted.LastError, Does.Contain("SslHandshake"), untrusted.LastError);
        });
        await Database.ExecuteAsSuperuserAsync($"UPDATE email_outbox SET next_attempt_at = now() WHERE id = {untrusted.Id}");

        // The operator pins the server's certificate: delivered, over TLS.
        var fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        var pinned = string.Join(':', Enumerable.Range(0, 32).Select(i => fingerprint.Substring(i * 2, 2)));
        await new SenderHarness(sink, configure: o => { o.SmtpSecurity = "starttls"; o.SmtpTrustedCertificate = pinned; }).DrainAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(sink.Accepted, Is.EqualTo(1));
            Assert.That(sink.AcceptedOverTls, Is.EqualTo(1));
            Assert.That(sink.Messages.Single().To.Mailboxes.Single().Address, Is.EqualTo("anna@kommun.example"));
            Assert.That((await EmailData.OutboxAsync(Database, "invitation")).Single().Status, Is.EqualTo("sent"));
        });
    }

    [Test]
    public void A_malformed_fingerprint_fails_the_settings_validation()
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new EmailOptions { SmtpTrustedCertificate = "AB:CD" };
        var ok = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);
        Assert.That(ok, Is.False);
        Assert.That(results.Where(r => r.MemberNames.Contains(nameof(EmailOptions.SmtpTrustedCertificate))).Select(r => r.ErrorMessage),
            Has.One.Contains("SHA-256"), string.Join("; ", results.Select(r => r.ErrorMessage)));
    }
}
