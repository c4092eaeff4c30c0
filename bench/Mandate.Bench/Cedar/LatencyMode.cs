using System.Diagnostics;
using System.Text.Json;
using Mandate.Cedar.Authorization;

namespace Mandate.Bench.Cedar;

/// <summary>
/// Times decisions the way <c>shared/bench/cedar-reference.mjs</c> does, so the two lines compare:
/// one pass over the requests checking the expected decisions, then ITERATIONS timed calls cycling
/// through the requests (request i % count), each timed on its own; p50/p99 are taken from the
/// sorted per-call times with the same index rule, decisions/s is iterations over the summed time.
/// One difference, stated: before the timed loop untimed calls run for at least two seconds (and at
/// least ITERATIONS calls), so the .NET tiered JIT has promoted the hot path (the wasm reference is
/// compiled ahead of time).
/// </summary>
public static class LatencyMode
{
    /// <summary>Runs the mode and prints one JSON line; returns the process exit code.</summary>
    public static int Run(string testPath, string? root, int iterations)
    {
        var w = Workload.Load(testPath, root);
        var authorizer = w.Authorizer;
        var entities = w.Entities;
        var requests = w.Requests;

        var mismatches = 0;
        for (var i = 0; i < requests.Length; i++)
        {
            var got = authorizer.IsAuthorized(requests[i], entities).Decision == Decision.Allow ? "allow" : "deny";
            if (w.Expected[i] is { } expected && expected != got) mismatches++;
        }
        // Warm up by time, not by count: the tiered JIT promotes hot methods in the background after
        // a 100 ms delay, so 20,000 calls of ~2 µs (40 ms) would leave the timed loop partly in tier-0 code.
        var warmUntil = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency;
        for (var i = 0; i < iterations || Stopwatch.GetTimestamp() < warmUntil; i++)
        {
            authorizer.IsAuthorized(requests[i % requests.Length], entities);
        }
        Thread.Sleep(200); // let the background compiler install what it queued last
        for (var i = 0; i < requests.Length; i++) authorizer.IsAuthorized(requests[i], entities);

        var times = new double[iterations];
        var ticksToUs = 1e6 / Stopwatch.Frequency;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var gcBefore = GC.CollectionCount(0);
        for (var i = 0; i < iterations; i++)
        {
            var r = requests[i % requests.Length];
            var t0 = Stopwatch.GetTimestamp();
            authorizer.IsAuthorized(r, entities);
            times[i] = (Stopwatch.GetTimestamp() - t0) * ticksToUs;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var gcs = GC.CollectionCount(0) - gcBefore;
        Array.Sort(times);
        double Q(double f) => times[Math.Min(times.Length - 1, (int)Math.Floor(f * times.Length))];
        var total = times.Sum();

        var line = new Dictionary<string, object>
        {
            ["implementation"] = "mandate",
            ["test"] = testPath,
            ["requests"] = requests.Length,
            ["entities"] = w.EntityCount,
            ["iterations"] = iterations,
            ["p50_us"] = Math.Round(Q(0.5), 2),
            ["p99_us"] = Math.Round(Q(0.99), 2),
            ["decisions_per_s"] = (long)Math.Round(iterations / (total / 1e6)),
            ["mismatches"] = mismatches,
            ["bytes_per_decision"] = Math.Round((double)allocated / iterations, 1),
            ["gen0_collections"] = gcs,
        };
        Console.WriteLine(JsonSerializer.Serialize(line));
        return 0;
    }
}
