using System.Collections.Concurrent;
using System.Diagnostics;
using Mandate.Core.Audit;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Storage.Sqlite.Tests.Audit;

public sealed class AuditCrashTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAsync_ProcessKilledMidRun_EveryAcknowledgedRecordSurvivesAndVerifies()
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
        foreach (var arg in new[] { "_audit-stress", _dir.Path, "1000000", "16" })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        child.OutputDataReceived += (_, e) =>
        {
            if (long.TryParse(e.Data, out var seq))
            {
                acknowledged.Add(seq);
                if (acknowledged.Count >= 2000)
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
        Assert.True(acknowledged.Count >= 2000);
    }
}
