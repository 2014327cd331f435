using VagaVaraDigital.Api.Features.Webcasts;

namespace VagaVaraDigital.Tests.Webcasts;

/// <summary>Daylight-saving edges of Europe/Stockholm: last Sunday of March (gap) and of October (fold).</summary>
public sealed class StockholmTimeTests
{
    [TestCase("2026-03-29T02:00")]
    [TestCase("2026-03-29T02:30")]
    [TestCase("2026-03-29T02:59")]
    [TestCase("2027-03-28T02:15")]
    [TestCase("2026-03-29T02:30+01:00")]
    [TestCase("2026-03-29T02:30+02:00")]
    public void A_wall_clock_time_in_the_spring_forward_gap_is_rejected(string input)
    {
        Assert.That(StockholmTime.Parse(input).Outcome, Is.EqualTo(StockholmTime.Outcome.InGap));
    }

    [TestCase("2026-03-29T01:59", "2026-03-29T00:59:00Z")]   // still winter time (+01:00)
    [TestCase("2026-03-29T03:00", "2026-03-29T01:00:00Z")]   // summer time (+02:00) from here
    [TestCase("2026-10-25T01:59", "2026-10-24T23:59:00Z")]
    [TestCase("2026-10-25T03:00", "2026-10-25T02:00:00Z")]
    [TestCase("2026-06-15T10:00", "2026-06-15T08:00:00Z")]
    [TestCase("2026-12-15T10:00", "2026-12-15T09:00:00Z")]
    public void Times_around_the_changes_convert_to_utc(string input, string expectedUtc)
    {
        var parsed = StockholmTime.Parse(input);
        Assert.That(parsed.Outcome, Is.EqualTo(StockholmTime.Outcome.Ok));
        Assert.That(parsed.Utc, Is.EqualTo(DateTime.Parse(expectedUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal)));
    }

    [Test]
    public void The_autumn_hour_that_happens_twice_is_the_first_summer_time_one_unless_the_offset_says_otherwise()
    {
        var plain = StockholmTime.Parse("2026-10-25T02:30");
        Assert.That(plain.Outcome, Is.EqualTo(StockholmTime.Outcome.Ok));
        Assert.That(plain.WasAmbiguous, Is.True);
        Assert.That(plain.Utc, Is.EqualTo(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc)), "first occurrence, +02:00");

        var summer = StockholmTime.Parse("2026-10-25T02:30+02:00");
        var winter = StockholmTime.Parse("2026-10-25T02:30+01:00");
        Assert.That(summer.Utc, Is.EqualTo(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc)));
        Assert.That(winter.Utc, Is.EqualTo(new DateTime(2026, 10, 25, 1, 30, 0, DateTimeKind.Utc)), "second occurrence, +01:00");
        Assert.That(StockholmTime.ToLocalIso(winter.Utc), Is.EqualTo("2026-10-25T02:30:00+01:00"));
        Assert.That(StockholmTime.FormatSwedish(winter.Utc), Does.Contain("normaltid"));
        Assert.That(StockholmTime.FormatSwedish(summer.Utc), Does.Contain("sommartid"));
    }

    [TestCase("2026-06-15T10:00+01:00")]   // summer, but written with winter's offset
    [TestCase("2026-12-15T10:00+02:00")]
    public void An_offset_that_is_not_Stockholms_at_that_time_is_rejected(string input)
    {
        Assert.That(StockholmTime.Parse(input).Outcome, Is.EqualTo(StockholmTime.Outcome.OffsetMismatch));
    }

    [TestCase("")]
    [TestCase("29/3/2026 10:00")]
    [TestCase("2026-02-30T10:00")]
    [TestCase("tomorrow")]
    public void Malformed_times_are_rejected(string input)
    {
        Assert.That(StockholmTime.Parse(input).Outcome, Is.EqualTo(StockholmTime.Outcome.Malformed));
    }
}
