using VagaVaraDigital.Api.Identity;

namespace VagaVaraDigital.Tests.Identity;

/// <summary>The common-password check (NIST SP 800-63B: no composition rules, but no known or expected password).</summary>
public sealed class PasswordRulesTests
{
    [Test]
    public void The_list_holds_tens_of_thousands_of_common_passwords() =>
        Assert.That(CommonPasswordValidator.Count, Is.GreaterThan(40_000));

    // Entries of 12+ characters straight from the breach-derived list (zxcvbn), in any case and spacing.
    [TestCase("1qaz2wsx3edc")]
    [TestCase("qazwsxedcrfv")]
    [TestCase("leavemealone")]
    [TestCase("Leave Me Alone")]
    [TestCase("123456654321")]
    // A common word padded to the length rule with digits or punctuation.
    [TestCase("baseball1234")]
    [TestCase("Sunshine2025!")]
    [TestCase("princess12345")]
    [TestCase("starwarsfan1")]
    // Our own list: the service, the agencies, Swedish favourites.
    [TestCase("Lantmateriet2025!")]
    [TestCase("Sommaren2025")]
    public void Common_and_expected_passwords_are_refused(string password) =>
        Assert.That(CommonPasswordValidator.IsCommon(password), Is.True, password);

    [TestCase("glada ankor simmar i fyris")]
    [TestCase("korrekt häst batteri häftklammer")]
    [TestCase("statistik över hela landet")]
    [TestCase("kaffe-i-kiruna-efter-midnatt")]
    public void Long_uncommon_passphrases_are_accepted(string password) =>
        Assert.That(CommonPasswordValidator.IsCommon(password), Is.False, password);

    [Test]
    public void The_users_own_address_is_refused() =>
        Assert.That(CommonPasswordValidator.IsCommon("anna.andersson2025", "anna.andersson@lansstyrelsen.se"), Is.True);
}
