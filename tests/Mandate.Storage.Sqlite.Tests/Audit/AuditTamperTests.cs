using System.Text;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;
using static Mandate.Storage.Sqlite.Tests.Audit.AuditLogFixture;

namespace Mandate.Storage.Sqlite.Tests.Audit;

public sealed class AuditTamperTests : IDisposable
{
    private const int Count = 50;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<Core.Audit.AuditVerification> TamperAsync(Action<Microsoft.Data.Sqlite.SqliteConnection> tamper)
    {
        var options = Options(_dir);
        await WriteAsync(options, Count);
        Assert.True((await VerifyAsync(options)).Ok);
        using (var raw = Raw(options))
        {
            tamper(raw);
        }
        return await VerifyAsync(options);
    }

    [Fact]
    public async Task Verify_UntouchedLog_ReportsOkWithCounts()
    {
        var options = Options(_dir);
        await WriteAsync(options, Count);

        var result = await VerifyAsync(options);

        Assert.True(result.Ok, result.Problem?.Message);
        Assert.Equal(Count, result.Records);
        Assert.Equal(Count / 10, result.Checkpoints);
    }

    [Fact]
    public async Task Verify_FieldEdited_ReportsEditedAtThatSeq()
    {
        var result = await TamperAsync(raw => Exec(raw,
            "UPDATE audit_records SET body = replace(body, '\"decision\":\"deny\"', '\"decision\":\"allow\"') WHERE seq = 16;"));

        Assert.Equal(AuditProblemKind.Edited, result.Problem?.Kind);
        Assert.Equal(16, result.Problem!.Seq);
        Assert.Equal("edited", result.Problem.Code);
    }

    [Fact]
    public async Task Verify_FieldEditedAndRehashed_ReportsEditedAtThatSeq()
    {
        var result = await TamperAsync(raw =>
        {
            var (prev, _, body) = Row(raw, 16);
            var forged = body.Replace("\"decision\":\"deny\"", "\"decision\":\"allow\"");
            Exec(raw, "UPDATE audit_records SET body = $b, hash = $h WHERE seq = 16;",
                ("$b", forged), ("$h", AuditChainHash.Compute(prev, Encoding.UTF8.GetBytes(forged))!));
        });

        Assert.Equal(AuditProblemKind.Edited, result.Problem?.Kind);
        Assert.Equal(16, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_QueryColumnChanged_ReportsEditedAtThatSeq()
    {
        var result = await TamperAsync(raw => Exec(raw, "UPDATE audit_records SET agent = 'someone-else' WHERE seq = 33;"));

        Assert.Equal(AuditProblemKind.Edited, result.Problem?.Kind);
        Assert.Equal(33, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_AgentSpanDeleted_ReportsRecordMissingFromQueryIndex()
    {
        var options = Options(_dir);
        var result = await TamperAsync(raw => Exec(raw,
            "DELETE FROM audit_spans_recent WHERE term = 'agent:agent-1' AND first_seq <= 20 AND last_seq >= 20;"));

        Assert.Equal(AuditProblemKind.Edited, result.Problem?.Kind);
        Assert.Equal(20, result.Problem!.Seq);
        Assert.Equal("record 20 is missing from the query index for agent `agent-1`", result.Problem.Message);
        // What the deletion bought: the record no longer shows under its agent, which is why verify names it.
        var seqs = new List<long>();
        await foreach (var entry in new Sqlite.Audit.SqliteAuditReader(options).QueryAsync(new AuditQuery { Agent = "agent-1" }))
        {
            seqs.Add(entry.Seq);
        }
        Assert.DoesNotContain(20L, seqs);
        Assert.Equal(Count - 1, seqs.Count);
    }

    [Fact]
    public async Task Verify_MinuteSpanDeleted_ReportsRecordMissingFromQueryIndex()
    {
        // Records are a second apart from 12:00:01, so 12:00 holds records 1..59 (here 1..50), one span row per batch
        // (50 records: all still in the recent table).
        var result = await TamperAsync(raw => Exec(raw,
            "DELETE FROM audit_spans_recent WHERE term = 'minute:2026-11-28T12:00' AND first_seq <= 37 AND last_seq >= 37;"));

        Assert.Equal(AuditProblemKind.Edited, result.Problem?.Kind);
        Assert.Equal(37, result.Problem!.Seq);
        Assert.Contains("missing from the query index for minute `2026-11-28T12:00`", result.Problem.Message);
    }

    [Fact]
    public async Task Verify_SpansOfOneTermMadeToOverlap_ReportsEdited()
    {
        var result = await TamperAsync(raw => Exec(raw,
            "UPDATE audit_spans_recent SET last_seq = 30 WHERE term = 'agent:agent-1' AND first_seq = 15;"));

        Assert.Equal(AuditProblemKind.Edited, result.Problem?.Kind);
        Assert.Equal(16, result.Problem!.Seq);
        Assert.Contains("overlap", result.Problem.Message);
    }

    [Fact]
    public async Task Verify_MiddleRecordDeleted_ReportsDeletedAtThatSeq()
    {
        var result = await TamperAsync(raw => Exec(raw, "DELETE FROM audit_records WHERE seq = 23;"));

        Assert.Equal(AuditProblemKind.Deleted, result.Problem?.Kind);
        Assert.Equal(23, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_ForgedRecordInserted_ReportsInsertedAtThatSeq()
    {
        var result = await TamperAsync(raw =>
        {
            // Make room at 25 by moving 25..50 up one (via negatives to dodge the primary key), then forge a
            // record that links correctly to 24.
            Exec(raw, "UPDATE audit_records SET seq = -(seq + 1) WHERE seq >= 25;");
            Exec(raw, "UPDATE audit_records SET seq = -seq WHERE seq < 0;");
            var (_, prevHash, _) = Row(raw, 24);
            var body = AuditRecordFormat.Serialize(SampleEvents.Decision(999, agent: "mallory"), 25);
            Exec(raw, "INSERT INTO audit_records (seq, prev_hash, hash, body, kind, time) VALUES (25, $p, $h, $b, 'decision', 'x');",
                ("$p", prevHash), ("$h", AuditChainHash.Compute(prevHash, body)!), ("$b", Encoding.UTF8.GetString(body)));
        });

        Assert.Equal(AuditProblemKind.Inserted, result.Problem?.Kind);
        Assert.Equal(25, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_UnlinkedRecordAppended_ReportsInserted()
    {
        var result = await TamperAsync(raw =>
        {
            var body = AuditRecordFormat.Serialize(SampleEvents.Decision(999, agent: "mallory"), 51);
            var prev = new string('a', 64);
            Exec(raw, "INSERT INTO audit_records (seq, prev_hash, hash, body, kind, time) VALUES (51, $p, $h, $b, 'decision', 'x');",
                ("$p", prev), ("$h", AuditChainHash.Compute(prev, body)!), ("$b", Encoding.UTF8.GetString(body)));
        });

        Assert.Equal(AuditProblemKind.Inserted, result.Problem?.Kind);
        Assert.Equal(51, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_TwoRecordsSwapped_ReportsReorderedAtFirst()
    {
        var result = await TamperAsync(raw =>
        {
            Exec(raw, "UPDATE audit_records SET seq = -1 WHERE seq = 30;");
            Exec(raw, "UPDATE audit_records SET seq = 30 WHERE seq = 31;");
            Exec(raw, "UPDATE audit_records SET seq = 31 WHERE seq = -1;");
        });

        Assert.Equal(AuditProblemKind.Reordered, result.Problem?.Kind);
        Assert.Equal(30, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_DistantRecordsSwapped_ReportsReordered()
    {
        var result = await TamperAsync(raw =>
        {
            Exec(raw, "UPDATE audit_records SET seq = -1 WHERE seq = 12;");
            Exec(raw, "UPDATE audit_records SET seq = 12 WHERE seq = 37;");
            Exec(raw, "UPDATE audit_records SET seq = 37 WHERE seq = -1;");
        });

        Assert.Equal(AuditProblemKind.Reordered, result.Problem?.Kind);
        Assert.Equal(12, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_TailDeletedPastLastCheckpoint_ReportsTruncated()
    {
        var result = await TamperAsync(raw => Exec(raw, "DELETE FROM audit_records WHERE seq > 44;"));

        Assert.Equal(AuditProblemKind.Truncated, result.Problem?.Kind);
        Assert.Equal(45, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_CheckpointSignatureCorrupted_ReportsBadSignatureAtItsSeq()
    {
        var result = await TamperAsync(raw => Exec(raw,
            "UPDATE audit_checkpoints SET signature = (SELECT signature FROM audit_checkpoints WHERE seq = 10) WHERE seq = 20;"));

        Assert.Equal(AuditProblemKind.BadCheckpointSignature, result.Problem?.Kind);
        Assert.Equal(20, result.Problem!.Seq);
        Assert.Equal("bad_checkpoint_signature", result.Problem.Code);
    }

    [Fact]
    public async Task Verify_ChainRewrittenFromAnEdit_ReportsCheckpointMismatch()
    {
        var result = await TamperAsync(raw =>
        {
            // The attacker edits 5 and recomputes every later hash: the chain is consistent, the signed checkpoint is not.
            var (prev, _, body) = Row(raw, 5);
            body = body.Replace("\"agent\":\"agent-1\"", "\"agent\":\"agent-2\"");
            for (var seq = 5; seq <= Count; seq++)
            {
                if (seq > 5)
                {
                    body = Row(raw, seq).Body;
                }
                var hash = AuditChainHash.Compute(prev, Encoding.UTF8.GetBytes(body))!;
                Exec(raw, "UPDATE audit_records SET prev_hash = $p, hash = $h, body = $b WHERE seq = $s;",
                    ("$p", prev), ("$h", hash), ("$b", body), ("$s", seq));
                prev = hash;
            }
        });

        Assert.Equal(AuditProblemKind.CheckpointMismatch, result.Problem?.Kind);
        Assert.Equal(10, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_SigningKeyReplacedButExternalPublicKeyGiven_ReportsBadSignature()
    {
        var options = Options(_dir);
        await WriteAsync(options, 20);
        var trusted = _dir.File("trusted.pub.pem");
        File.Copy(_dir.File(AuditSigningKey.PublicKeyFile), trusted);
        // The attacker swaps in their own key pair and re-signs every checkpoint.
        File.Delete(_dir.File(AuditSigningKey.PrivateKeyFile));
        File.Delete(_dir.File(AuditSigningKey.PublicKeyFile));
        using (var forgedKey = AuditSigningKey.LoadOrCreate(_dir.Path))
        using (var raw = Raw(options))
        {
            foreach (var seq in new[] { 10L, 20L })
            {
                var hash = Row(raw, seq).Hash;
                var cp = AuditCheckpointSigner.Sign(forgedKey, seq, hash, DateTimeOffset.UtcNow);
                Exec(raw, "UPDATE audit_checkpoints SET signature = $sig, key_id = $k, time = $t WHERE seq = $s;",
                    ("$sig", cp.Signature), ("$k", cp.KeyId), ("$t", cp.Time), ("$s", seq));
            }
        }
        Assert.True((await VerifyAsync(options)).Ok);

        var result = await VerifyAsync(options with { PublicKeyPath = trusted });

        Assert.Equal(AuditProblemKind.BadCheckpointSignature, result.Problem?.Kind);
        Assert.Equal(10, result.Problem!.Seq);
    }
}
