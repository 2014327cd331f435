namespace VagaVaraDigital.HangProbes;

/// <summary>
/// What a hang looks like in ./test.sh, on demand (docs/decisions/0005-a-hung-test-fails-with-its-name.md):
/// <code>
/// VVD_PROBE=slow     VVD_TEST_TIMEOUT_MS=10000 ./test.sh tools/VagaVaraDigital.HangProbes/VagaVaraDigital.HangProbes.csproj
/// VVD_PROBE=hang     VVD_HANG_TIMEOUT=40s VVD_TEST_TIMEOUT_MS=600000 ./test.sh tools/VagaVaraDigital.HangProbes/VagaVaraDigital.HangProbes.csproj
/// VVD_PROBE=teardown VVD_HANG_TIMEOUT=40s      ./test.sh tools/VagaVaraDigital.HangProbes/VagaVaraDigital.HangProbes.csproj
/// VVD_PROBE=crash                              ./test.sh tools/VagaVaraDigital.HangProbes/VagaVaraDigital.HangProbes.csproj
/// </code>
/// slow: a test over the per-test bound fails by name and the next test still runs; hang: a test that blocks its
/// thread while the hang bound is shorter than the per-test bound is reported "HÄNGDE"; teardown: a fixture that
/// never ends is reported as the host ended outside any test; crash: a host that dies mid-test is reported
/// "KRASCHADE". Without VVD_PROBE every probe is ignored.
/// </summary>
static class Probe
{
    static readonly string? Chosen = Environment.GetEnvironmentVariable("VVD_PROBE");

    public static bool Is(string probe) => Chosen == probe;

    public static void Only(string probe)
    {
        if (!Is(probe)) Assert.Ignore($"VVD_PROBE={probe} runs this probe");
    }
}

[TestFixture]
public class HangProbes
{
    [Test, Order(1)]
    public async Task Slow_test_waits_longer_than_the_per_test_bound()
    {
        Probe.Only("slow");
        await Task.Delay(TimeSpan.FromHours(1));
    }

    [Test, Order(2)]
    public void Test_after_the_slow_one_still_runs()
    {
        Probe.Only("slow");
        Assert.Pass();
    }

    [Test, Order(3)]
    public void Hung_test_blocks_its_thread_for_ever()
    {
        Probe.Only("hang");
        Thread.Sleep(Timeout.Infinite);
    }

    [Test, Order(4)]
    public void Crashing_test_ends_the_host()
    {
        Probe.Only("crash");
        Environment.FailFast("probe: the test host dies mid-test");
    }
}

[TestFixture]
public class FixtureThatNeverEnds
{
    [OneTimeTearDown]
    public void TearDown()
    {
        if (Probe.Is("teardown")) Thread.Sleep(Timeout.Infinite);
    }

    [Test]
    public void A_test_that_passes() => Probe.Only("teardown");
}
