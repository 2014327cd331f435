using System.Text;
using VagaVaraDigital.Api.Features.Invitees;

namespace VagaVaraDigital.Tests.Invitees;

public sealed class EmailAndPersonKeyTests
{
    [TestCase("  Anna.Svensson@Uppsala.SE ", "anna.svensson@uppsala.se")]
    [TestCase("kalle@malmö.se", "kalle@malmö.se")]
    [TestCase("KALLE@MALMÖ.SE", "kalle@malmö.se")]
    [TestCase("kalle@xn--malm-8qa.se", "kalle@malmö.se")]
    [TestCase("ása@örebro.se", null)] // non-ASCII local part is refused (SMTPUTF8 is not assumed)
    [TestCase("no-at-sign.se", null)]
    [TestCase("a@b", null)]
    [TestCase("a b@c.se", null)]
    [TestCase("", null)]
    [TestCase("a@@c.se", null)]
    public void Normalises_and_validates(string input, string? expected) =>
        Assert.That(EmailAddress.Normalize(input), Is.EqualTo(expected));

    [Test]
    public void Person_key_is_keyed_stable_and_not_a_plain_hash()
    {
        var secret = Encoding.UTF8.GetBytes(InviteeOptions.DevelopmentPersonKeySecret);
        var a = PersonKeys.Compute(secret, "anna@uppsala.se");
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(PersonKeys.Compute(secret, EmailAddress.Normalize(" ANNA@Uppsala.se ")!)));
            Assert.That(a, Has.Length.EqualTo(64));
            Assert.That(a, Is.Not.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("anna@uppsala.se")))));
            Assert.That(a, Is.Not.EqualTo(PersonKeys.Compute(Encoding.UTF8.GetBytes("another-secret-of-at-least-32-characters"), "anna@uppsala.se")));
        });
    }
}
