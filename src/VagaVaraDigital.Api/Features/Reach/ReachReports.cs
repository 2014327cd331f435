using Dapper;
using System.ComponentModel.DataAnnotations;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Reference;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Reach;

/// <summary>Reach settings (section <c>Reach</c>).</summary>
public sealed class ReachOptions
{
    public const string Section = "Reach";

    /// <summary>
    /// After this long a computed report is recomputed in the background while it is still served; it is never
    /// served older than <see cref="MaxAge"/> (a minute: the figures' promised freshness). Zero turns caching off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Computes the county and national reports from the SQL functions of migration 0500 (county: under the tenant's
/// row-level security; national: the reporting role's SECURITY DEFINER function, counts only) and caches them
/// through <see cref="ReachReportCache"/> (at most a minute old).
/// </summary>
public sealed class ReachReports(Db db, TimeProvider clock, ReachReportCache cache, ReferenceData reference, TenantStore tenants)
{
    const string FigureColumns = """
        section AS Section, key AS Key, label AS Label, at AS At, invited AS Invited, answered AS Answered,
        accepted AS Accepted, reached AS Reached, no_shows AS NoShows, recent AS Recent, target AS Target,
        municipalities_total AS MunicipalitiesTotal, municipalities_covered AS MunicipalitiesCovered
        """;

    /// <summary>The SQL the county report runs (also run directly by the benchmark).</summary>
    public const string CountySql = $"SELECT {FigureColumns} FROM reach_county_figures(@now, @municipality)";

    /// <summary>The SQL the national report runs (also run directly by the benchmark).</summary>
    public const string NationalSql = $"SELECT {FigureColumns} FROM reach_national_figures(@now)";

    /// <summary>Everything the county report reads, as the one batch it sends (the benchmark's baseline).</summary>
    public const string CountyBatchSql = $"""
        {CountySql};
        SELECT attendance_threshold_minutes FROM tenant_settings;
        SELECT snapshot_date AS SnapshotDate, invited AS Invited, answered AS Answered, accepted AS Accepted, reached AS Reached
        FROM reach_snapshots ORDER BY snapshot_date;
        """;

    /// <summary>Everything the national report reads, as the one batch it sends (the benchmark's baseline).</summary>
    public const string NationalBatchSql = $"""
        {NationalSql};
        SELECT snapshot_date AS SnapshotDate, invited AS Invited, answered AS Answered, accepted AS Accepted, reached AS Reached
        FROM reach_national_snapshots();
        """;

    public Task<CountyReachReport> CountyAsync(string tenantId, string tenantName, string? municipality, CancellationToken ct) =>
        cache.GetAsync($"reach:county:{tenantId}:{municipality}",
            sp => sp.GetRequiredService<ReachReports>().ComputeCountyAsync(tenantId, tenantName, municipality, CancellationToken.None), ct);

    public Task<NationalReachReport> NationalAsync(CancellationToken ct) =>
        cache.GetAsync("reach:national", sp => sp.GetRequiredService<ReachReports>().ComputeNationalAsync(CancellationToken.None), ct);

    /// <summary>After a change of the national target, this instance recomputes at once (others within a minute).</summary>
    public void ForgetNational() => cache.Forget("reach:national");

    internal async Task<CountyReachReport> ComputeCountyAsync(string tenantId, string tenantName, string? municipality, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // One round trip: a read unit sends the tenant scope and the four queries as one batch (one implicit read-only
        // transaction, so one snapshot).
        await using var uow = await db.ReadForTenantAsync(tenantId, ct);
        using var grid = await uow.QueryMultipleAsync(CountyBatchSql, new { now, municipality }, ct);
        var rows = (await grid.ReadAsync<FigureRow>()).ToArray();
        var threshold = await grid.ReadSingleOrDefaultAsync<int?>();
        var snapshots = (await grid.ReadAsync<SnapshotRow>()).ToArray();
        var names = (await reference.GetAsync()).MunicipalityByCode;

        var total = rows.Single(r => r.Section == "total");
        var today = ReachCalculations.Today(now);
        var days = ReachCalculations.Days(rows);
        var byCode = rows.Where(r => r.Section == "municipality").ToDictionary(r => r.Key ?? "");

        // Lines: the county's municipalities (with or without invitees), others that occur, and the county board itself.
        var codes = municipality is not null
            ? [municipality]
            : names.Values.Where(m => m.CountyCode == tenantId).OrderBy(m => m.Name, SwedishOrder).Select(m => m.Code)
                .Concat(byCode.Keys.Where(k => k != "").Order())
                .Distinct().ToList();
        if (municipality is null && byCode.ContainsKey("")) codes.Add("");
        var lines = codes.Select(code =>
        {
            var r = byCode.GetValueOrDefault(code);
            var reached = (int)(r?.Reached ?? 0);
            return new MunicipalityReach(code == "" ? null : code,
                code == "" ? "Länsstyrelsen (ingen kommun)" : names.GetValueOrDefault(code)?.Name ?? code,
                (int)(r?.Invited ?? 0), (int)(r?.Accepted ?? 0), reached, reached > 0);
        }).ToArray();

        // A municipality's view has no county target and one municipality to cover.
        var scoped = municipality is null ? total : new FigureRow
        {
            Section = total.Section, Invited = total.Invited, Answered = total.Answered, Accepted = total.Accepted,
            Reached = total.Reached, Recent = total.Recent, Target = null,
            MunicipalitiesTotal = 1, MunicipalitiesCovered = (total.Reached ?? 0) > 0 ? 1 : 0,
        };
        var summary = ReachCalculations.Summary(scoped);
        var webcasts = rows.Where(r => r.Section == "webcast").Select(r =>
        {
            var invited = (int)(r.Invited ?? 0);
            var accepted = (int)(r.Accepted ?? 0);
            var attended = (int)(r.Reached ?? 0);
            var noShows = r.NoShows is { } n ? (int)n : (int?)null;
            return new WebcastReach(Guid.Parse(r.Key!), r.Label ?? "", r.At ?? default, invited, accepted, attended,
                ReachCalculations.Percent(attended, invited), noShows,
                noShows is { } ns ? ReachCalculations.Percent(ns, accepted) : null);
        }).OrderBy(w => w.StartsAt).ToArray();

        return new CountyReachReport(
            ReachCalculations.Version, tenantId, tenantName, municipality, now.UtcDateTime,
            ReachDefinitions.For(threshold, national: false), summary,
            ReachCalculations.Project(summary.Reached, summary.Target, summary.ReachedLast28Days, today, days),
            ReachCalculations.Funnel(scoped), lines, ReachCalculations.Roles(rows), webcasts,
            new ReachOverTime(ReachCalculations.Weeks(days, summary.Target, today),
                municipality is null ? snapshots.Select(s => s.ToPoint()).ToArray() : []));
    }

    internal async Task<NationalReachReport> ComputeNationalAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // One round trip (see ComputeCountyAsync).
        await using var uow = await db.ReadGlobalAsync(ct);
        using var grid = await uow.QueryMultipleAsync(NationalBatchSql, new { now }, ct);
        var rows = (await grid.ReadAsync<FigureRow>()).ToArray();
        var snapshots = (await grid.ReadAsync<SnapshotRow>()).ToArray();
        var municipalities = (await reference.GetAsync()).MunicipalityByCode;

        var total = rows.Single(r => r.Section == "total");
        var today = ReachCalculations.Today(now);
        var days = ReachCalculations.Days(rows);
        var summary = ReachCalculations.Summary(total);
        var names = (await tenants.AllAsync(ct)).ToDictionary(t => t.Id, t => t.Name);

        var counties = rows.Where(r => r.Section == "county").Select(r =>
        {
            var reached = (int)(r.Reached ?? 0);
            var target = r.Target ?? 0;
            return new CountyReachRow(r.Key!, names.GetValueOrDefault(r.Key!, r.Key!), target, reached,
                ReachCalculations.Percent(reached, target), (int)(r.Invited ?? 0), (int)(r.Answered ?? 0), (int)(r.Accepted ?? 0),
                r.MunicipalitiesCovered ?? 0, r.MunicipalitiesTotal ?? 0,
                ReachCalculations.Project(reached, target, (int)(r.Recent ?? 0), today, []));
        }).OrderBy(c => c.Id).ToArray();

        var lines = rows.Where(r => r.Section == "municipality").Select(r =>
        {
            var code = r.Key ?? "";
            var reached = (int)(r.Reached ?? 0);
            return new MunicipalityReach(code == "" ? null : code,
                code == "" ? "Länsstyrelserna (ingen kommun)" : municipalities.GetValueOrDefault(code)?.Name ?? code,
                (int)(r.Invited ?? 0), (int)(r.Accepted ?? 0), reached, reached > 0);
        }).OrderBy(m => m.Code is null).ThenBy(m => m.Code, StringComparer.Ordinal).ToArray();

        return new NationalReachReport(
            ReachCalculations.Version, now.UtcDateTime, ReachDefinitions.For(null, national: true), summary,
            ReachCalculations.Project(summary.Reached, summary.Target, summary.ReachedLast28Days, today, days),
            ReachCalculations.Funnel(total), counties, lines, ReachCalculations.Roles(rows),
            new ReachOverTime(ReachCalculations.Weeks(days, summary.Target, today), snapshots.Select(s => s.ToPoint()).ToArray()));
    }

    static readonly StringComparer SwedishOrder = StringComparer.Create(new System.Globalization.CultureInfo("sv-SE"), false);

    sealed class SnapshotRow
    {
        public DateTime SnapshotDate { get; init; }
        public long Invited { get; init; }
        public long Answered { get; init; }
        public long Accepted { get; init; }
        public long Reached { get; init; }

        public ReachSnapshotPoint ToPoint() =>
            new(DateOnly.FromDateTime(SnapshotDate), (int)Invited, (int)Answered, (int)Accepted, (int)Reached);
    }
}

/// <summary>
/// Computed reports per key (county, municipality, national), stale-while-revalidate: younger than
/// <see cref="ReachOptions.CacheDuration"/> served as is; older (but under a minute) served while one background
/// computation replaces it; a minute or older (or failed) computed again before answering. One computation per key
/// at a time; each runs in its own DI scope, not cancelled by the request that started it.
/// </summary>
public sealed class ReachReportCache(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ReachOptions> options,
    ILogger<ReachReportCache> logger)
{
    sealed record Entry(Task<object> Report, DateTimeOffset StartedAt)
    {
        public Task<object>? Refresh { get; set; }
    }

    readonly ConcurrentDictionary<string, Entry> _entries = new();
    readonly object _gate = new();

    public async Task<T> GetAsync<T>(string key, Func<IServiceProvider, Task<T>> compute, CancellationToken ct) where T : class
    {
        var fresh = options.Value.CacheDuration;
        if (fresh <= TimeSpan.Zero) return await RunAsync(compute);

        Entry entry;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (!_entries.TryGetValue(key, out entry!) || entry.Report.IsFaulted || entry.Report.IsCanceled
                || (entry.Report.IsCompleted && now - entry.StartedAt >= ReachOptions.MaxAge))
            {
                entry = new Entry(Start(compute), now);
                _entries[key] = entry;
            }
            else if (entry.Report.IsCompletedSuccessfully && now - entry.StartedAt >= fresh && entry.Refresh is null)
            {
                var started = now;
                var refresh = Start(compute);
                entry.Refresh = refresh;
                _ = refresh.ContinueWith(t =>
                {
                    lock (_gate)
                    {
                        if (t.IsCompletedSuccessfully && _entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
                            _entries[key] = new Entry(t, started);
                        else entry.Refresh = null;
                    }
                    if (t.Exception is { } e) logger.LogWarning(e, "Reach report {Key} could not be recomputed in the background", key);
                }, TaskScheduler.Default);
            }
        }
        return (T)await entry.Report.WaitAsync(ct);
    }

    public void Forget(string key) => _entries.TryRemove(key, out _);

    Task<object> Start<T>(Func<IServiceProvider, Task<T>> compute) where T : class => Task.Run(async () => (object)await RunAsync(compute));

    async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> compute)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await compute(scope.ServiceProvider);
    }
}
