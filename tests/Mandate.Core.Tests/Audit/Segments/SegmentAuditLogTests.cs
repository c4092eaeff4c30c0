using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;

namespace Mandate.Core.Tests.Audit.Segments;

public sealed class SegmentAuditLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-segments-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private SegmentAuditLog Open(long segmentBytes = 64L << 20, int checkpointEvery = 1000) =>
        new(new SegmentLogOptions { DataDirectory = _dir, SegmentBytes = segmentBytes, CheckpointEvery = checkpointEvery, Node = "test" });

    internal static AuditEvent Decision(int i, string? traceId = null) => new()
    {
        Kind = AuditEvent.Kinds.Decision,
        DecisionId = Guid.CreateVersion7().ToString(),
        Time = DateTimeOffset.UtcNow,
        Node = "test",
        TraceId = traceId ?? "",
        Agent = $"agent-{i % 3}",
        SessionId = $"session-{i % 5}",
        Chain = i % 2 == 0 ? [] : ["spiffe://example.org/parent"],
        Action = "Mandate::Action::\"read\"",
        Resource = $"Mandate::Endpoint::\"GET /tickets/{i}\"",
        Decision = i % 4 == 0 ? "deny" : "allow",
        Policies = ["allow-read"],
        Reasons = i % 4 == 0 ? ["not yours"] : [],
        Details = new Dictionary<string, string> { ["code"] = "policy.allow", ["path"] = $"/tickets/{i}" },
    };

    [Fact]
    public async Task AppendAsync_ManyConcurrent_ChainVerifiesAndRecordsReadBack()
    {
        var events = Enumerable.Range(0, 500).Select(i => Decision(i, i % 7 == 0 ? "4bf92f3577b34da6a3ce929d0e0e4736" : null)).ToArray();
        await using (var log = Open(segmentBytes: 8 * 1024))
        {
            var receipts = new List<AuditReceipt>();
            foreach (var group in events.Select((e, i) => (e, i)).Chunk(50))
            {
                receipts.AddRange(await Task.WhenAll(group.Select(x => log.AppendAsync(x.e, x.i % 10 == 0 ? AuditDurability.PowerLoss : AuditDurability.ProcessCrash).AsTask())));
            }
            Assert.All(receipts, r => Assert.True(r.Ok, r.Error?.Message));
            Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), receipts.Select(r => r.Seq).Order());
            Assert.Equal(500, await log.GetHeadAsync());
        }

        Assert.True(SegmentFiles.List(SegmentFiles.Folder(_dir)).Count > 1, "small segments rotate");
        var verification = SegmentLogVerifier.Verify(_dir, null);
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(500, verification.Records);
        Assert.Equal(50, verification.PowerLossRecords);
        Assert.True(verification.Checkpoints >= 1);

        await using var reopened = Open();
        var read = new List<AuditEntry>();
        await foreach (var entry in reopened.QueryAsync(new AuditQuery()))
        {
            read.Add(entry);
        }
        Assert.Equal(500, read.Count);
        var byId = events.ToDictionary(e => e.DecisionId);
        foreach (var entry in read)
        {
            var original = byId[entry.Event.DecisionId];
            Assert.Equal(AuditRecordFormat.Serialize(original, entry.Seq), System.Text.Encoding.UTF8.GetBytes(entry.CanonicalJson));
        }
    }

    [Fact]
    public async Task Reopen_AfterAppends_ContinuesTheChain()
    {
        await using (var log = Open())
        {
            Assert.True((await log.AppendAsync(Decision(1))).Ok);
        }
        await using (var log = Open())
        {
            var receipt = await log.AppendAsync(Decision(2));
            Assert.Equal(2, receipt.Seq);
        }
        var verification = SegmentLogVerifier.Verify(_dir, null);
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(2, verification.Records);
    }

    [Fact]
    public async Task Reopen_TornTail_IsSetAsideAndTheChainGoesOn()
    {
        await using (var log = Open())
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.True((await log.AppendAsync(Decision(i))).Ok);
            }
        }
        var segment = SegmentFiles.List(SegmentFiles.Folder(_dir))[^1].Path;
        var whole = new FileInfo(segment).Length;
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write([0x40, 0, 0, 0, 1, 2, 3]); // a frame cut short, as a crash mid-write leaves it
        }

        await using (var log = Open())
        {
            var receipt = await log.AppendAsync(Decision(9));
            Assert.Equal(4, receipt.Seq);
        }
        Assert.Single(Directory.GetFiles(SegmentFiles.Folder(_dir), "*.torn-*"));
        Assert.True(new FileInfo(segment).Length > whole);
        var verification = SegmentLogVerifier.Verify(_dir, null);
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(4, verification.Records);
    }

    [Fact]
    public async Task Verify_ByteChanged_ReportsEdited()
    {
        await using (var log = Open())
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.True((await log.AppendAsync(Decision(i))).Ok);
            }
        }
        var segment = SegmentFiles.List(SegmentFiles.Folder(_dir))[^1].Path;
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(segment, bytes);

        var verification = SegmentLogVerifier.Verify(_dir, null);

        Assert.False(verification.Ok);
        Assert.Equal(AuditProblemKind.Edited, verification.Problem!.Kind);
    }

    [Fact]
    public async Task Verify_SegmentRemoved_ReportsDeleted()
    {
        await using (var log = Open(segmentBytes: 1024))
        {
            for (var i = 0; i < 60; i++)
            {
                Assert.True((await log.AppendAsync(Decision(i))).Ok);
            }
        }
        var segments = SegmentFiles.List(SegmentFiles.Folder(_dir));
        Assert.True(segments.Count >= 3);
        File.Delete(segments[1].Path);

        var verification = SegmentLogVerifier.Verify(_dir, null);

        Assert.Equal(AuditProblemKind.Deleted, verification.Problem!.Kind);
    }

    [Fact]
    public async Task Verify_TailCutBeforeCheckpoint_ReportsTruncated()
    {
        await using (var log = Open(checkpointEvery: 5))
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.True((await log.AppendAsync(Decision(i))).Ok);
            }
        }
        var segment = SegmentFiles.List(SegmentFiles.Folder(_dir))[^1].Path;
        using (var handle = File.OpenHandle(segment, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(handle, RandomAccess.GetLength(handle) / 2);
        }
        // The writer would repair the cut tail on open; a verifier must still see that signed records are gone.
        var repaired = SegmentTail.Recover(SegmentFiles.Folder(_dir));

        var verification = SegmentLogVerifier.Verify(_dir, null);

        Assert.NotNull(repaired);
        Assert.Equal(AuditProblemKind.Truncated, verification.Problem!.Kind);
    }

    [Fact]
    public async Task AppendAsync_SecondWriterOnTheSameLog_Fails()
    {
        await using var first = Open();
        Assert.True((await first.AppendAsync(Decision(1))).Ok);
        await using var second = Open();

        var receipt = await second.AppendAsync(Decision(2));

        Assert.False(receipt.Ok);
        Assert.Equal(AuditErrorCodes.Unavailable, receipt.Error!.Code);
    }

    [Fact]
    public async Task Cursor_FollowingALiveLog_ReadsEveryCommittedRecordOnceAcrossSegments()
    {
        await using var log = Open(segmentBytes: 2048);
        using var cursor = new SegmentLogCursor(SegmentFiles.Folder(_dir));
        var read = new List<long>();
        for (var round = 0; round < 20; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 7).Select(i => log.AppendAsync(Decision(round * 7 + i)).AsTask()));
            while (cursor.Next(log.Head) is { } entry)
            {
                read.Add(entry.Seq);
            }
            Assert.Equal(log.Head, read[^1]);
        }

        Assert.Equal(Enumerable.Range(1, 140).Select(i => (long)i), read);
        Assert.True(SegmentFiles.List(SegmentFiles.Folder(_dir)).Count > 3);
    }
}
