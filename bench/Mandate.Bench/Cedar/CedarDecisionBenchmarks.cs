using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;

namespace Mandate.Bench.Cedar;

/// <summary>
/// Per-decision time and allocation of the Cedar engine on the generated workloads in
/// <c>bench/cedar/workloads</c>: (a) <c>agent</c>, (b) <c>spread-100/1000/10000</c>. One operation
/// is one decision (each invocation cycles through all of the workload's requests).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class CedarDecisionBenchmarks
{
    private const int RequestsPerWorkload = 200;
    private Authorizer _authorizer = null!;
    private EntityStore _entities = null!;
    private Request[] _requests = null!;

    /// <summary>Which workload file (without .json).</summary>
    [Params("agent", "spread-100", "spread-1000", "spread-10000")]
    public string Workload { get; set; } = "agent";

    /// <summary>Loads the workload once; nothing is parsed inside the measured method.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var w = Cedar.Workload.Load(Path.Combine(WorkloadsFolder(), Workload + ".json"));
        _authorizer = w.Authorizer;
        _entities = w.Entities;
        _requests = w.Requests;
        // OperationsPerInvoke must equal the request count for the per-decision figures to be right.
        if (_requests.Length != RequestsPerWorkload) throw new InvalidDataException($"{Workload}: {_requests.Length} requests, expected {RequestsPerWorkload}");
    }

    /// <summary>All requests of the workload once; reported per decision.</summary>
    [Benchmark(OperationsPerInvoke = RequestsPerWorkload)]
    public int Decide()
    {
        var allowed = 0;
        foreach (var r in _requests)
        {
            if (_authorizer.IsAuthorized(r, _entities).Decision == Decision.Allow) allowed++;
        }
        return allowed;
    }

    /// <summary>The workloads folder: MANDATE_CEDAR_WORKLOADS, else found walking up from the binaries.</summary>
    public static string WorkloadsFolder()
    {
        if (Environment.GetEnvironmentVariable("MANDATE_CEDAR_WORKLOADS") is { Length: > 0 } env) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "cedar", "workloads");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("bench/cedar/workloads not found; set MANDATE_CEDAR_WORKLOADS");
    }

    /// <summary>A short in-process job (1 launch, 3 warm-ups, 5 iterations) so the whole run stays within minutes.</summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig() =>
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5)
                .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
