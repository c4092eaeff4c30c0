using System.Diagnostics;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;
using Mandate.Storage.Sqlite.Audit;
using static Mandate.Storage.Sqlite.Tests.Audit.AuditLogFixture;

namespace Mandate.Storage.Sqlite.Tests.Audit;

public sealed class SqliteAuditLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAsync_64ConcurrentAppenders_AllDurableContiguousAndVerified()
    {
        var options = Options(_dir, checkpointEvery: 1000);
        var receipts = new List<AuditReceipt>();
        await using (var log = new SqliteAuditLog(options))
        {
            var workers = Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
            {
                var mine = new List<AuditReceipt>(200);
                for (var i = 0; i < 200; i++)
                {
                    mine.Add(await log.AppendAsync(SampleEvents.Decision(w * 1000 + i, agent: $"agent-{w}")));
                }
                return mine;
            })).ToArray();
            foreach (var list in await Task.WhenAll(workers))
            {
                receipts.AddRange(list);
            }
        }

        Assert.All(receipts, r => Assert.True(r.Ok, r.Error?.Message));
        Assert.Equal(Enumerable.Range(1, 64 * 200).Select(i => (long)i), receipts.Select(r => r.Seq).Order());
        var verification = await VerifyAsync(options);
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(64 * 200, verification.Records);
        Assert.True(verification.Checkpoints >= 12);
    }

    [Fact]
    public async Task AppendAsync_SteadyAppends_BackgroundPassesKeepTheWalShortAndCloseRemovesIt()
    {
        var options = Options(_dir, checkpointEvery: 1000) with { WalCheckpointBytes = 256 << 10 };
        long walLength;
        long passes;
        long writerCheckpoints;
        await using (var log = new SqliteAuditLog(options))
        {
            // Records appended by 16 callers at once, as the gateway does, so the writer keeps committing while passes run.
            await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 1500; i++)
                {
                    var receipt = await log.AppendAsync(SampleEvents.Decision(w * 10_000 + i, agent: $"agent-{w}"));
                    Assert.True(receipt.Ok, receipt.Error?.Message);
                }
            })));
            // The WAL file never shrinks while open, so its length now is the longest it got.
            walLength = new FileInfo(_dir.File("audit.db-wal")).Length;
            passes = log.WalCheckpointPasses;
            writerCheckpoints = log.WalWriterCheckpoints;
        }

        var databaseLength = new FileInfo(options.DatabasePath).Length;
        Assert.True(passes > 0, "no background checkpoint pass ran");
        Assert.Equal(0, writerCheckpoints);
        // Without checkpoints the WAL would hold every page written (more than the database); the background passes,
        // and the writer's short copy after each, rewound it over and over.
        Assert.True(walLength * 4 < databaseLength, $"the WAL grew to {walLength} bytes for a database of {databaseLength}");
        Assert.False(File.Exists(_dir.File("audit.db-wal")) && new FileInfo(_dir.File("audit.db-wal")).Length > 0, "the WAL outlived the log");
        var verification = await VerifyAsync(options);
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(16 * 1500, verification.Records);
    }

    [Fact]
    public async Task AppendAsync_ReaderHoldsAnOldSnapshot_AppendsStayDurableVerifyAndTheStallIsLoggedOnce()
    {
        var options = Options(_dir, checkpointEvery: 1000) with { WalCheckpointBytes = 32 << 10 };
        var logger = new RecordingLogger();
        int behindWhileHeld;
        await using (var log = new SqliteAuditLog(options, logger))
        {
            Assert.True((await log.AppendAsync(SampleEvents.Decision(0))).Ok);
            using (var reader = Raw(options))
            {
                // An open read transaction pins the WAL frames it can see: no pass can copy past them, so the WAL cannot
                // rewind, and the writer must go on appending to it.
                using var tx = reader.BeginTransaction(deferred: true);
                using (var cmd = reader.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = "SELECT COUNT(*) FROM audit_records;";
                    Assert.Equal(1L, cmd.ExecuteScalar());
                }
                for (var i = 1; i <= 2000; i++)
                {
                    var receipt = await log.AppendAsync(SampleEvents.Decision(i));
                    Assert.True(receipt.Ok, receipt.Error?.Message);
                }
                behindWhileHeld = logger.Count(5003);
            }
            for (var i = 2001; i <= 3000; i++)
            {
                Assert.True((await log.AppendAsync(SampleEvents.Decision(i))).Ok);
            }
        }

        var verification = await VerifyAsync(options);
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(3001, verification.Records);
        // The stall is one warning however many commits it lasts, then a note once the WAL could be copied again;
        // a pass that cannot copy past a reader is not a failure.
        Assert.Equal(1, behindWhileHeld);
        Assert.True(logger.Count(5004) >= 1, string.Join("\n", logger.Entries));
        Assert.Equal(0, logger.Count(5001));
    }

    [Fact]
    public async Task AppendAsync_Receipt_MatchesStoredRecordAndReadsBack()
    {
        var options = Options(_dir);
        var sent = SampleEvents.Decision(7, decision: "deny") with { Status = 403, Bytes = 12, LatencyMicros = 845, Errors = ["e1"] };
        await using var log = new SqliteAuditLog(options);

        var receipt = await log.AppendAsync(sent);
        var entries = await log.QueryAsync(new AuditQuery()).ToListAsync();

        Assert.True(receipt.Ok);
        var entry = Assert.Single(entries);
        Assert.Equal(receipt.Seq, entry.Seq);
        Assert.Equal(receipt.Hash, entry.Hash);
        Assert.Equal(AuditChainHash.Genesis, entry.PrevHash);
        Assert.Equal(sent.Agent, entry.Event.Agent);
        Assert.Equal(sent.Time, entry.Event.Time);
        Assert.Equal(sent.Chain, entry.Event.Chain);
        Assert.Equal(sent.Reasons, entry.Event.Reasons);
        Assert.Equal(sent.Errors, entry.Event.Errors);
        Assert.Equal(403, entry.Event.Status);
        Assert.Equal(845, entry.Event.LatencyMicros);
        Assert.Equal("0.1", entry.Event.Details["risk"]);
        Assert.StartsWith("{\"action\":", entry.CanonicalJson);
    }

    [Fact]
    public async Task QueryAsync_Filters_ReturnOnlyMatchingInOrder()
    {
        var options = Options(_dir);
        await using var log = new SqliteAuditLog(options);
        for (var i = 1; i <= 30; i++)
        {
            Assert.True((await log.AppendAsync(SampleEvents.Decision(i, agent: i % 2 == 0 ? "even" : "odd", decision: i % 5 == 0 ? "deny" : "allow"))).Ok);
        }
        Assert.True((await log.AppendAsync(new AuditEvent { Kind = AuditEvent.Kinds.PolicyReload, Time = SampleEvents.Start.AddSeconds(31) })).Ok);

        var even = await log.QueryAsync(new AuditQuery { Agent = "even" }).ToListAsync();
        var evenDenied = await log.QueryAsync(new AuditQuery { Agent = "even", Decision = "deny" }).ToListAsync();
        var session = await log.QueryAsync(new AuditQuery { Session = "sess-1", Limit = 3 }).ToListAsync();
        var window = await log.QueryAsync(new AuditQuery { Since = SampleEvents.Start.AddSeconds(10), Until = SampleEvents.Start.AddSeconds(13) }).ToListAsync();
        var reloads = await log.QueryAsync(new AuditQuery { Kind = AuditEvent.Kinds.PolicyReload }).ToListAsync();
        var tail = await log.QueryAsync(new AuditQuery { AfterSeq = 28 }).ToListAsync();

        Assert.Equal(15, even.Count);
        Assert.Equal([10L, 20, 30], evenDenied.Select(e => e.Seq));
        Assert.Equal([1L, 4, 7], session.Select(e => e.Seq));
        Assert.Equal([10L, 11, 12], window.Select(e => e.Seq));
        Assert.Equal(31, Assert.Single(reloads).Seq);
        Assert.Equal([29L, 30, 31], tail.Select(e => e.Seq));
        Assert.Equal(31, await log.GetHeadAsync());
    }

    [Fact]
    public async Task AppendAsync_AfterRestart_ContinuesTheChain()
    {
        var options = Options(_dir);
        await WriteAsync(options, 15);

        await using (var log = new SqliteAuditLog(options))
        {
            var receipt = await log.AppendAsync(SampleEvents.Decision(16));
            Assert.Equal(16, receipt.Seq);
        }

        var result = await VerifyAsync(options);
        Assert.True(result.Ok, result.Problem?.Message);
        Assert.Equal(16, result.Records);
    }

    [Fact]
    public async Task AppendAsync_TwoLogsOnOneDirectory_NeverForkTheChain()
    {
        var options = Options(_dir);
        await using var first = new SqliteAuditLog(options);
        await using var second = new SqliteAuditLog(options);

        var receipts = new List<AuditReceipt>();
        for (var i = 0; i < 20; i++)
        {
            receipts.Add(await (i % 2 == 0 ? first : second).AppendAsync(SampleEvents.Decision(i)));
        }

        Assert.All(receipts, r => Assert.True(r.Ok, r.Error?.Message));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), receipts.Select(r => r.Seq));
        Assert.True((await first.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task AppendAsync_IdleLog_WritesTimedCheckpoint()
    {
        var options = Options(_dir) with { CheckpointEvery = 1000, CheckpointInterval = TimeSpan.FromMilliseconds(200) };
        await using var log = new SqliteAuditLog(options);
        Assert.True((await log.AppendAsync(SampleEvents.Decision(1))).Ok);
        Assert.True((await log.AppendAsync(SampleEvents.Decision(2))).Ok);

        long covered = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (covered < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            using var raw = Raw(options);
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoints;";
            covered = Convert.ToInt64(cmd.ExecuteScalar());
        }

        Assert.Equal(2, covered);
        Assert.True((await log.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task AppendAsync_EmptyKind_FailsWithInvalidEvent()
    {
        await using var log = new SqliteAuditLog(Options(_dir));

        var receipt = await log.AppendAsync(new AuditEvent { Kind = "" });

        Assert.False(receipt.Ok);
        Assert.Equal(AuditErrorCodes.InvalidEvent, receipt.Error!.Code);
    }

    [Fact]
    public async Task AppendAsync_LoneSurrogateInText_StoredAsReplacementCharacter()
    {
        await using var log = new SqliteAuditLog(Options(_dir));

        var odd = await log.AppendAsync(SampleEvents.Decision(1, agent: "bad\uD800agent"));
        var next = await log.AppendAsync(SampleEvents.Decision(2));
        var entries = await log.QueryAsync(new AuditQuery()).ToListAsync();

        Assert.True(odd.Ok, odd.Error?.Message);
        Assert.Equal(2, next.Seq);
        Assert.Contains("\"agent\":\"bad\\uFFFDagent\"", entries[0].CanonicalJson, StringComparison.Ordinal); // replaced, not dropped
        Assert.Equal("bad\uFFFDagent", entries[0].Event.Agent);
        Assert.Equal("agent-1", entries[1].Event.Agent);
        Assert.True((await log.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_FailsClosed()
    {
        var log = new SqliteAuditLog(Options(_dir));
        await log.DisposeAsync();

        var receipt = await log.AppendAsync(SampleEvents.Decision(1));

        Assert.Equal(AuditErrorCodes.Closed, receipt.Error?.Code);
    }

    [Fact]
    public async Task AppendAsync_DatabaseReplacedByDirectory_FailsPromptlyKeepsFailingAndLogsItOnce()
    {
        var options = Options(_dir);
        var logger = new RecordingLogger();
        await using var log = new SqliteAuditLog(options, logger);
        Assert.True((await log.AppendAsync(SampleEvents.Decision(1))).Ok);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(options.DatabasePath + suffix);
        }
        Directory.CreateDirectory(options.DatabasePath);

        var clock = Stopwatch.StartNew();
        var first = await log.AppendAsync(SampleEvents.Decision(2));
        var second = await log.AppendAsync(SampleEvents.Decision(3));

        Assert.Equal(AuditErrorCodes.Unavailable, first.Error?.Code);
        Assert.Equal(AuditErrorCodes.Unavailable, second.Error?.Code);
        Assert.True(clock.Elapsed < options.AppendTimeout, $"took {clock.Elapsed}");
        var logged = Assert.Single(logger.Entries, e => e.EventId == 5006);
        Assert.Contains("refusing to start a new chain", logged.Message);
    }

    [Fact]
    public async Task AppendAsync_DatabaseDeleted_RefusesToStartANewChain()
    {
        var options = Options(_dir);
        await using var log = new SqliteAuditLog(options);
        Assert.True((await log.AppendAsync(SampleEvents.Decision(1))).Ok);
        File.Delete(options.DatabasePath);

        var receipt = await log.AppendAsync(SampleEvents.Decision(2));

        Assert.Equal(AuditErrorCodes.Unavailable, receipt.Error?.Code);
        Assert.False(File.Exists(options.DatabasePath));
    }

    [Fact]
    public async Task AppendAsync_DatabaseLockedByAnotherWriter_FailsWithinBoundThenRecovers()
    {
        var options = Options(_dir);
        var logger = new RecordingLogger();
        await using var log = new SqliteAuditLog(options, logger);
        Assert.True((await log.AppendAsync(SampleEvents.Decision(1))).Ok);

        AuditReceipt blocked;
        var clock = Stopwatch.StartNew();
        using (var raw = Raw(options))
        {
            Exec(raw, "BEGIN IMMEDIATE;");
            blocked = await log.AppendAsync(SampleEvents.Decision(2));
            clock.Stop();
            Exec(raw, "ROLLBACK;");
        }
        var recovered = await log.AppendAsync(SampleEvents.Decision(3));

        Assert.False(blocked.Ok);
        Assert.True(clock.Elapsed < options.AppendTimeout + TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.True(recovered.Ok, recovered.Error?.Message);
        Assert.Equal(2, recovered.Seq);
        Assert.True((await log.VerifyAsync()).Ok);
        Assert.Equal([5006, 5007], logger.Entries.Select(e => e.EventId));
        Assert.Contains("locked", logger.Entries[0].Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TimedCheckpoint_BlockedByAnotherWriter_IsLoggedOnceThenItsRecoveryWhenWrittenAgain()
    {
        var options = Options(_dir) with { CheckpointInterval = TimeSpan.FromMilliseconds(300), BusyTimeout = TimeSpan.FromMilliseconds(100) };
        var logger = new RecordingLogger();
        await using var log = new SqliteAuditLog(options, logger);
        Assert.True((await log.AppendAsync(SampleEvents.Decision(1))).Ok);

        using (var raw = Raw(options))
        {
            // The write lock outlasts the busy timeout when the timed checkpoint comes due.
            Exec(raw, "BEGIN IMMEDIATE;");
            await WaitUntilAsync(() => logger.Count(5005) > 0);
            await Task.Delay(options.CheckpointInterval * 3);
            Exec(raw, "ROLLBACK;");
        }
        Assert.True((await log.AppendAsync(SampleEvents.Decision(2))).Ok);
        await WaitUntilAsync(() => logger.Count(5008) > 0);

        Assert.Equal([5005, 5008], logger.Entries.Where(e => e.EventId is 5005 or 5008).Select(e => e.EventId));
        Assert.Contains("locked", logger.Entries.First(e => e.EventId == 5005).Message, StringComparison.OrdinalIgnoreCase);
        var verification = await log.VerifyAsync();
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.True(verification.Checkpoints >= 1);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting for the log line");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task AppendAsync_WriterStuckLongerThanTimeout_ReturnsTimeout()
    {
        // Create the database and signing key under the default timeout first: on a cold, loaded machine that first
        // open can take longer than the short timeout this test is about.
        await using (var warm = new SqliteAuditLog(Options(_dir)))
        {
            Assert.True((await warm.AppendAsync(SampleEvents.Decision(1))).Ok);
        }
        var options = Options(_dir) with { AppendTimeout = TimeSpan.FromSeconds(1), BusyTimeout = TimeSpan.FromSeconds(6) };
        await using var log = new SqliteAuditLog(options);

        AuditReceipt receipt;
        var clock = Stopwatch.StartNew();
        using (var raw = Raw(options))
        {
            Exec(raw, "BEGIN IMMEDIATE;");
            receipt = await log.AppendAsync(SampleEvents.Decision(2));
            clock.Stop();
            Exec(raw, "ROLLBACK;");
        }

        Assert.Equal(AuditErrorCodes.Timeout, receipt.Error?.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task VerifyAsync_NoDatabase_ReportsUnreadable()
    {
        var result = await new SqliteAuditReader(Options(_dir)).VerifyAsync();

        Assert.Equal(AuditProblemKind.Unreadable, result.Problem?.Kind);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task LoadOrCreate_NewKey_IsOwnerOnly()
    {
        await WriteAsync(Options(_dir), 1);

        var mode = File.GetUnixFileMode(_dir.File(AuditSigningKey.PrivateKeyFile));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AppendAsync_NewLog_DatabaseAndWalAreOwnerOnly()
    {
        await WriteAsync(Options(_dir), 3);

        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(_dir.File("audit.db")));
        var wal = _dir.File("audit.db-wal");
        if (File.Exists(wal)) Assert.Equal(ownerOnly, File.GetUnixFileMode(wal));
    }
}
