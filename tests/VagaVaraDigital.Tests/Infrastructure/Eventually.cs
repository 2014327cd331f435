using System.Diagnostics;

namespace VagaVaraDigital.Tests.Infrastructure;

/// <summary>
/// Waiting for background work (a job server, a sender loop, a second process) with a deadline: a test that waits
/// never waits forever, and when the deadline passes it throws (the test fails) saying what it waited for and what it saw last.
/// </summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task<T> WaitForAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await probe();
            if (done(seen)) return seen;
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}; last seen: {Describe(seen)}");
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>The same for a value read without I/O.</summary>
    public static Task<T> WaitForAsync<T>(string what, Func<T> probe, Func<T, bool> done, TimeSpan timeout, TimeSpan? every = null) =>
        WaitForAsync(what, () => Task.FromResult(probe()), done, timeout, every);

    static string Describe<T>(T value) => value switch
    {
        null => "(nothing)",
        string s => $"\"{s}\"",
        _ => value.ToString() ?? "(nothing)",
    };
}
