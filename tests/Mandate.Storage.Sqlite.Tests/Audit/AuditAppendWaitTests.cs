using System.Diagnostics;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Appending;
using Mandate.Storage.Sqlite.Audit;
using static Mandate.Storage.Sqlite.Tests.Audit.AuditLogFixture;

namespace Mandate.Storage.Sqlite.Tests.Audit;

/// <summary>How appends wait: posted appends, the watchdog's timeouts, cancellation, and the queue's ownership rule.</summary>
public sealed class AuditAppendWaitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Post_RecordsJoinTheChainBetweenAwaitedAppends()
    {
        var options = Options(_dir);
        await using (var log = new SqliteAuditLog(options))
        {
            for (var i = 1; i <= 50; i++)
            {
                Assert.Null(log.Post(SampleEvents.Decision(i) with { Kind = AuditEvent.Kinds.Outcome, Status = 200 }));
            }
            var awaited = await log.AppendAsync(SampleEvents.Decision(51));
            Assert.True(awaited.Ok, awaited.Error?.Message);
            // FIFO into one writer: everything posted before the awaited append is in the chain before it.
            Assert.Equal(51, awaited.Seq);
        }

        var records = await new SqliteAuditReader(options).QueryAsync(new AuditQuery()).ToListAsync();
        Assert.Equal(50, records.Count(r => r.Event.Kind == AuditEvent.Kinds.Outcome));
        Assert.True((await VerifyAsync(options)).Ok);
    }

    [Fact]
    public async Task Post_StoreUnavailable_ReportsTheFailureToTheCallback()
    {
        var options = Options(_dir);
        await using var log = new SqliteAuditLog(options);
        Assert.True((await log.AppendAsync(SampleEvents.Decision(1))).Ok);
        File.Delete(options.DatabasePath);
        var failed = new TaskCompletionSource<(string DecisionId, AuditError Error)>(TaskCreationOptions.RunContinuationsAsynchronously);

        var queued = log.Post(SampleEvents.Decision(2), (e, error) => failed.TrySetResult((e.DecisionId, error)));
        var (decisionId, error) = await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(queued);
        Assert.Equal(SampleEvents.Decision(2).DecisionId, decisionId);
        Assert.Equal(AuditErrorCodes.Unavailable, error.Code);
    }

    [Fact]
    public async Task Post_WithoutKind_IsRefusedWithoutQueueing()
    {
        await using var log = new SqliteAuditLog(Options(_dir));

        var error = log.Post(SampleEvents.Decision(1) with { Kind = "" });

        Assert.Equal(AuditErrorCodes.InvalidEvent, error?.Code);
    }

    [Fact]
    public async Task AppendAsync_SeveralBehindAStuckWriter_AllTimeOutAndTheLogRecovers()
    {
        await using (var warm = new SqliteAuditLog(Options(_dir)))
        {
            Assert.True((await warm.AppendAsync(SampleEvents.Decision(1))).Ok);
        }
        var options = Options(_dir) with { AppendTimeout = TimeSpan.FromSeconds(1), BusyTimeout = TimeSpan.FromSeconds(6) };
        await using var log = new SqliteAuditLog(options);

        AuditReceipt[] receipts;
        var clock = Stopwatch.StartNew();
        using (var raw = Raw(options))
        {
            Exec(raw, "BEGIN IMMEDIATE;");
            receipts = await Task.WhenAll(Enumerable.Range(2, 20).Select(i => log.AppendAsync(SampleEvents.Decision(i)).AsTask()));
            clock.Stop();
            Exec(raw, "ROLLBACK;");
        }
        // Recovery: the stuck batch first finishes its busy wait (SQLite sleeps up to 100 ms between tries) and
        // commits, then appends succeed again. On a loaded machine that can take longer than this log's 1 s append
        // timeout, so recovery means "an append succeeds within 30 s", retried while they time out.
        var recovered = await log.AppendAsync(SampleEvents.Decision(30));
        var recoveryDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!recovered.Ok && recovered.Error?.Code == AuditErrorCodes.Timeout && DateTime.UtcNow < recoveryDeadline)
        {
            recovered = await log.AppendAsync(SampleEvents.Decision(30));
        }

        Assert.All(receipts, r => Assert.Equal(AuditErrorCodes.Timeout, r.Error?.Code));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.True(recovered.Ok, recovered.Error?.Message);
        Assert.True((await VerifyAsync(options)).Ok);
    }

    [Fact]
    public async Task AppendAsync_CancelledWhileTheWriterIsStuck_AnswersCancelledPromptly()
    {
        await using (var warm = new SqliteAuditLog(Options(_dir)))
        {
            Assert.True((await warm.AppendAsync(SampleEvents.Decision(1))).Ok);
        }
        var options = Options(_dir) with { AppendTimeout = TimeSpan.FromSeconds(20), BusyTimeout = TimeSpan.FromSeconds(6) };
        await using var log = new SqliteAuditLog(options);

        AuditReceipt receipt;
        var clock = Stopwatch.StartNew();
        using (var raw = Raw(options))
        {
            Exec(raw, "BEGIN IMMEDIATE;");
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            receipt = await log.AppendAsync(SampleEvents.Decision(2), cancel.Token);
            clock.Stop();
            Exec(raw, "ROLLBACK;");
        }

        Assert.Equal(AuditErrorCodes.Cancelled, receipt.Error?.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Queue_AnAppendThatTimedOutWhileQueued_IsNeverHandedToTheWriter()
    {
        using var queue = new AuditAppendQueue(maxPending: 10, maxBatch: 10, timeout: TimeSpan.FromMilliseconds(50));
        var expired = PendingAppend.Awaited(SampleEvents.Decision(1), queue.NewDeadline());
        Assert.Null(queue.Enqueue(expired));

        var receipt = await expired.Completion!.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The live append gets a deadline a minute away, not the queue's 50 ms: a thread paused for 50 ms between
        // Enqueue and TakeBatch (a loaded machine, a GC) would otherwise let the watchdog expire it too.
        var live = PendingAppend.Awaited(SampleEvents.Decision(2), Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency);
        Assert.Null(queue.Enqueue(live));
        var batch = new List<PendingAppend>();
        queue.TakeBatch(batch, 10);

        Assert.Equal(AuditErrorCodes.Timeout, receipt.Error?.Code);
        Assert.Same(live, Assert.Single(batch));
    }

    [Fact]
    public void Queue_Full_RefusesAsOverloaded()
    {
        using var queue = new AuditAppendQueue(maxPending: 2, maxBatch: 10, timeout: TimeSpan.FromSeconds(30));

        Assert.Null(queue.Enqueue(PendingAppend.Posted(SampleEvents.Decision(1), queue.NewDeadline(), null)));
        Assert.Null(queue.Enqueue(PendingAppend.Posted(SampleEvents.Decision(2), queue.NewDeadline(), null)));
        var third = queue.Enqueue(PendingAppend.Posted(SampleEvents.Decision(3), queue.NewDeadline(), null));

        Assert.Equal(AuditErrorCodes.Overloaded, third?.Error?.Code);
    }
}
