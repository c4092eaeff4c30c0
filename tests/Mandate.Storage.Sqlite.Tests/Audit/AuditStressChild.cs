using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Storage.Sqlite.Tests.Audit;

/// <summary>The child side of the crash test: appends and prints each seq only after its receipt says durable.</summary>
internal static class AuditStressChild
{
    public static async Task<int> RunAsync(string dataDirectory, int count, int concurrency, long walCheckpointBytes)
    {
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var gate = new object();
        var options = new SqliteAuditOptions { DataDirectory = dataDirectory, CheckpointEvery = 100 };
        await using var log = new SqliteAuditLog(walCheckpointBytes > 0 ? options with { WalCheckpointBytes = walCheckpointBytes } : options);
        var next = 0;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i <= count)
            {
                var receipt = await log.AppendAsync(SampleEvents.Decision(i));
                if (!receipt.Ok)
                {
                    lock (gate)
                    {
                        output.WriteLine($"error {receipt.Error!.Code}");
                    }
                    return;
                }
                lock (gate)
                {
                    output.WriteLine(receipt.Seq);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return 0;
    }
}
