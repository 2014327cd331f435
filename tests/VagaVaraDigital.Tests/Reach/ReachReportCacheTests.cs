using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VagaVaraDigital.Api.Features.Reach;

namespace VagaVaraDigital.Tests.Reach;

/// <summary>Freshness: a report is recomputed in the background after CacheDuration and never served a minute old.</summary>
public sealed class ReachReportCacheTests
{
    [Test]
    public async Task Fresh_then_stale_while_revalidating_then_recomputed_before_answering()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        var cache = new ReachReportCache(scopes, clock, Options.Create(new ReachOptions { CacheDuration = TimeSpan.FromSeconds(30) }),
            NullLogger<ReachReportCache>.Instance);
        var computed = 0;
        var gate = new TaskCompletionSource();
        Task<string> Compute(IServiceProvider _) => Task.FromResult($"report {Interlocked.Increment(ref computed)}");
        async Task<string> Slow(IServiceProvider _) { await gate.Task; return $"report {Interlocked.Increment(ref computed)}"; }

        Assert.That(await cache.GetAsync("k", Compute, CancellationToken.None), Is.EqualTo("report 1"));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.That(await cache.GetAsync("k", Compute, CancellationToken.None), Is.EqualTo("report 1"), "fresh");

        clock.Advance(TimeSpan.FromSeconds(2));   // 31 s: stale — served at once, recomputed in the background
        Assert.That(await cache.GetAsync("k", Slow, CancellationToken.None), Is.EqualTo("report 1"));
        Assert.That(await cache.GetAsync("k", Slow, CancellationToken.None), Is.EqualTo("report 1"), "one background computation");
        gate.SetResult();
        for (var i = 0; i < 100 && await cache.GetAsync("k", Compute, CancellationToken.None) != "report 2"; i++) await Task.Delay(20);
        Assert.That(await cache.GetAsync("k", Compute, CancellationToken.None), Is.EqualTo("report 2"));

        clock.Advance(TimeSpan.FromSeconds(61));  // a minute old: computed again before answering
        Assert.That(await cache.GetAsync("k", Compute, CancellationToken.None), Is.EqualTo("report 3"));
    }

    [Test]
    public async Task Zero_duration_computes_every_time()
    {
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        var cache = new ReachReportCache(scopes, TimeProvider.System, Options.Create(new ReachOptions { CacheDuration = TimeSpan.Zero }),
            NullLogger<ReachReportCache>.Instance);
        var computed = 0;
        Task<string> Compute(IServiceProvider _) => Task.FromResult($"{Interlocked.Increment(ref computed)}");
        await cache.GetAsync("k", Compute, CancellationToken.None);
        await cache.GetAsync("k", Compute, CancellationToken.None);
        Assert.That(computed, Is.EqualTo(2));
    }
}
