using System.Collections.Concurrent;
using System.Diagnostics;
using Mandate.Core.Audit;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Storage.Sqlite.Tests.Audit;

public sealed class AuditCrashTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // 0: the default WAL checkpoint threshold, which 2,000 records do not reach; 64 KiB: many background passes, writer
    // copies and WAL restarts happen before the kill, which can land in the middle of any of them.
    [Theory]
    [InlineData(0, 2000)]
    [InlineData(64 << 10, 8000)]
    public async Task AppendAsync_ProcessKilledMidRun_EveryAcknowledgedRecordSurvivesAndVerifies(long walCheckpointBytes, int killAfter)
    {
        var acknowledged = new ConcurrentBag<long>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(AuditStressChild).Assembly.Location);
        foreach (var arg in new[] { "_audit-stress", _dir.Path, "1000000", "16", walCheckpointBytes.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        child.OutputDataReceived += (_, e) =>
        {
            if (long.TryParse(e.Data, out var seq))
            {
                acknowledged.Add(seq);
                if (acknowledged.Count >= killAfter)
                {
                    enough.TrySetResult();
                }
            }
        };
        child.BeginOutputReadLine();
        var finished = await Task.WhenAny(enough.Task, child.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(enough.Task, finished);
        child.Kill(entireProcessTree: true); // SIGKILL: no dispose, no final checkpoint
        await child.WaitForExitAsync();
        if (walCheckpointBytes > 0)
        {
            // The kill came after passes had copied the WAL into the database and it had started over, many times.
            var walLength = new FileInfo(_dir.File("audit.db-wal")).Length;
            var databaseLength = new FileInfo(_dir.File("audit.db")).Length;
            Assert.True(walLength < databaseLength, $"WAL {walLength} bytes, database {databaseLength}: no WAL restart before the kill");
        }

        var options = new SqliteAuditOptions { DataDirectory = _dir.Path };
        await using (var reopened = new SqliteAuditLog(options))
        {
            var after = await reopened.AppendAsync(SampleEvents.Decision(0));
            Assert.True(after.Ok, after.Error?.Message);
        }
        var stored = new HashSet<long>();
        await foreach (var entry in new SqliteAuditReader(options).QueryAsync(new AuditQuery()))
        {
            stored.Add(entry.Seq);
        }
        var verification = await new SqliteAuditReader(options).VerifyAsync();

        Assert.True(verification.Ok, verification.Problem?.Message);
        var lost = acknowledged.Where(seq => !stored.Contains(seq)).ToList();
        Assert.True(lost.Count == 0, $"acknowledged but lost: {string.Join(',', lost.Take(10))}");
        Assert.Equal(stored.Count, stored.Max()); // contiguous 1..n, including the record appended after the crash
        Assert.True(acknowledged.Count >= killAfter);
    }
}
