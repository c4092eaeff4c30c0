using System.Diagnostics;
using System.Globalization;
using Mandate.Core.Tokens;
using Mandate.Storage.Sqlite.Tokens;

namespace Mandate.Bench.Tokens;

/// <summary>
/// Sustained token exchanges per second against a real <c>tokens.db</c>: WORKERS concurrent loops of Verify(parent) +
/// Plan + IssueAsync (a delegation, the costlier kind) for SECONDS, after a 2 s warm-up. Prints one JSON line.
/// A fourth argument picks the variant: <c>sqlite</c> (default: records written behind, group commit),
/// <c>durable</c> (each exchange waits for its commit), <c>memory</c> (the in-memory store: what SQLite costs).
/// </summary>
internal static class ExchangeThroughputMode
{
    public static int Run(double seconds, int workers, string variant = "sqlite")
    {
        var dir = Directory.CreateTempSubdirectory("mandate-bench-exchange-").FullName;
        try
        {
            return RunAsync(dir, seconds, workers, variant).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<int> RunAsync(string dir, double seconds, int workers, string variant)
    {
        await using var sqlite = new SqliteTaskTokenStore(new SqliteTaskTokenStoreOptions { DataDirectory = dir });
        ITaskTokenStore store = variant == "memory" ? new InMemoryTaskTokenStore() : sqlite;
        var options = new TaskTokenOptions { Issuer = "https://mandate.bench", AwaitDurableIssue = variant == "durable" };
        await using var service = await TaskTokenService.OpenAsync(store, options);
        var rootPlan = service.Plan(new ExchangeInput
        {
            Actor = new ExchangeActor("agent-a", "oidc", "https://idp.bench"),
            ClientId = "agent-a",
            SubjectKind = ExchangeSubjectKind.User,
            UserId = "alice",
            Requested = new TaskGrant(["tickets.read", "tickets.write"], ["https://api.bench"], "triage", ["tickets.*"], ["Mandate::Ticket::*"]),
            RequestedLifetime = TimeSpan.FromHours(1),
        }, DateTimeOffset.UtcNow).Plan!;
        var root = await service.IssueAsync(rootPlan);

        long count = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        async Task Worker()
        {
            await Task.Yield();
            while (!stop.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                var parent = service.Verify(root.AccessToken, now).Principal ?? throw new InvalidOperationException("root refused");
                var plan = service.Plan(new ExchangeInput
                {
                    Actor = new ExchangeActor("agent-b", "oidc", "https://idp.bench"),
                    ClientId = "agent-b",
                    SubjectKind = ExchangeSubjectKind.ParentTaskToken,
                    Parent = parent,
                    Requested = new TaskGrant(["tickets.read"], [], "", ["tickets.read"], []),
                }, now);
                await service.IssueAsync(plan.Plan ?? throw new InvalidOperationException(plan.Error!.ToString()));
                if (Volatile.Read(ref measuring))
                {
                    Interlocked.Increment(ref count);
                }
            }
        }
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(Worker)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var commitsBefore = sqlite.CommitCount;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var done = Interlocked.Read(ref count);
        var commits = sqlite.CommitCount - commitsBefore;
        stop.Cancel();
        await Task.WhenAll(tasks);
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""{"mode":"tokens-throughput","variant":"{{variant}}","workers":{{workers}},"seconds":{{elapsed:0.00}},"exchanges":{{done}},"exchanges_per_s":{{done / elapsed:0}},"cpu_us_per_exchange":{{cpu * 1e6 / Math.Max(1, done):0.0}},"commits":{{commits}},"load_average":"{{load}}"}"""));
        return 0;
    }
}
