using System.Text;
using Mandate.Core.Audit;
using Mandate.Storage.Sqlite.Audit;
using Microsoft.Data.Sqlite;
using static Mandate.Storage.Sqlite.Tests.Audit.AuditLogFixture;

namespace Mandate.Storage.Sqlite.Tests.Audit;

/// <summary>A version 1 <c>audit.db</c> (its DDL as released, rows hashed with the chain rule) upgraded by the writer.</summary>
public sealed class AuditSchemaMigrationTests : IDisposable
{
    // The version 1 schema, as it shipped.
    private const string Version1Ddl = """
        CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
        CREATE TABLE audit_records (
            seq        INTEGER PRIMARY KEY,
            prev_hash  TEXT NOT NULL,
            hash       TEXT NOT NULL,
            body       TEXT NOT NULL,
            kind       TEXT NOT NULL,
            time       TEXT NOT NULL,
            agent      TEXT,
            session_id TEXT,
            decision   TEXT
        );
        CREATE INDEX audit_records_agent ON audit_records(agent, seq);
        CREATE INDEX audit_records_session ON audit_records(session_id, seq);
        CREATE INDEX audit_records_time ON audit_records(time);
        CREATE TABLE audit_checkpoints (
            id        INTEGER PRIMARY KEY,
            seq       INTEGER NOT NULL,
            hash      TEXT NOT NULL,
            time      TEXT NOT NULL,
            key_id    TEXT NOT NULL,
            signature TEXT NOT NULL
        );
        INSERT INTO schema_version (component, version) VALUES ('audit', 1);
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Open_Version1File_UpgradesInPlaceKeepingChainAndQueries()
    {
        var options = Options(_dir);
        var events = Enumerable.Range(1, 2500).Select(i => SampleEvents.Decision(i,
            agent: $"agent-{i % 7}", decision: i % 5 == 0 ? "deny" : "allow", session: $"sess-{i % 11}")).ToList();
        WriteVersion1File(options, events);
        var reader = new SqliteAuditReader(options);

        // Before any writer opens it, the reader serves the old file with its old indexes.
        Assert.True((await reader.VerifyAsync()).Ok);
        Assert.Equal(Expected(events, e => e.Agent == "agent-3"), await Seqs(reader, new AuditQuery { Agent = "agent-3" }));

        await using (var log = new SqliteAuditLog(options))
        {
            var receipt = await log.AppendAsync(SampleEvents.Decision(2501, agent: "agent-3", session: "sess-1"));
            Assert.True(receipt.Ok, receipt.Error?.Message);
            Assert.Equal(2501, receipt.Seq);
        }
        events.Add(SampleEvents.Decision(2501, agent: "agent-3", session: "sess-1"));

        using (var raw = Raw(options))
        {
            Assert.Equal(2L, Scalar(raw, "SELECT version FROM schema_version WHERE component = 'audit';"));
            Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'audit_records_%';"));
            // Chunks of 1000: each agent, session and minute has one row per chunk it occurs in; the new batch's rows
            // are in the recent table.
            Assert.Equal(3L, Scalar(raw, "SELECT COUNT(*) FROM audit_spans WHERE term = 'agent:agent-3';"));
            Assert.Equal(1L, Scalar(raw, "SELECT COUNT(*) FROM audit_spans_recent WHERE term = 'agent:agent-3';"));
        }
        var verification = await reader.VerifyAsync();
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(2501, verification.Records);
        Assert.Equal(Expected(events, e => e.Agent == "agent-3"), await Seqs(reader, new AuditQuery { Agent = "agent-3" }));
        Assert.Equal(Expected(events, e => e.SessionId == "sess-1" && e.Decision == "deny"),
            await Seqs(reader, new AuditQuery { Session = "sess-1", Decision = "deny" }));
        var since = SampleEvents.Start.AddSeconds(1234.5);
        var until = SampleEvents.Start.AddSeconds(2100);
        Assert.Equal(Expected(events, e => e.Time >= since && e.Time < until), await Seqs(reader, new AuditQuery { Since = since, Until = until }));
        Assert.Equal(Expected(events, e => e.Agent == "agent-3" && e.Time >= since).Skip(2).Take(5),
            await Seqs(reader, new AuditQuery { Agent = "agent-3", Since = since, AfterSeq = Expected(events, e => e.Agent == "agent-3" && e.Time >= since)[1], Limit = 5 }));
    }

    [Fact]
    public async Task Verify_UpgradedFileWithMergedSpanDeleted_ReportsFirstHiddenRecord()
    {
        var options = Options(_dir);
        await UpgradedFileAsync(options);
        using (var raw = Raw(options))
        {
            // Record 1501 is agent-3's; its span is the chunk 1001..2000 row, which starts at agent-3's first record there.
            Exec(raw, "DELETE FROM audit_spans WHERE term = 'agent:agent-3' AND first_seq <= 1501 AND last_seq >= 1501;");
        }

        var result = await new SqliteAuditReader(options).VerifyAsync();

        Assert.Equal(AuditProblemKind.Edited, result.Problem?.Kind);
        Assert.Equal(1004, result.Problem!.Seq);
        Assert.Contains("missing from the query index for agent `agent-3`", result.Problem.Message);
    }

    [Fact]
    public async Task Verify_MergedSpanMovedToRecentTable_ReportsEdited()
    {
        // The reader reads merged rows before recent ones; a recent row placed earlier would hide records from it.
        var options = Options(_dir);
        await UpgradedFileAsync(options);
        using (var raw = Raw(options))
        {
            Exec(raw, """
                INSERT INTO audit_spans_recent (first_seq, term, last_seq)
                SELECT first_seq, term, last_seq FROM audit_spans WHERE term = 'agent:agent-0' AND first_seq < 1000;
                DELETE FROM audit_spans WHERE term = 'agent:agent-0' AND first_seq < 1000;
                """);
        }

        var result = await new SqliteAuditReader(options).VerifyAsync();

        Assert.Equal(AuditProblemKind.Edited, result.Problem?.Kind);
        Assert.Equal(7, result.Problem!.Seq);
        Assert.Contains("comes before the merged ones", result.Problem.Message);
    }

    private static async Task UpgradedFileAsync(SqliteAuditOptions options)
    {
        WriteVersion1File(options, Enumerable.Range(1, 2500).Select(i => SampleEvents.Decision(i, agent: $"agent-{i % 7}")).ToList());
        await using (var log = new SqliteAuditLog(options))
        {
            Assert.True((await log.AppendAsync(SampleEvents.Decision(2501))).Ok);
        }
        var verification = await new SqliteAuditReader(options).VerifyAsync();
        Assert.True(verification.Ok, verification.Problem?.Message);
    }

    [Fact]
    public async Task Open_NewerSchemaVersion_FailsWithClearMessage()
    {
        var options = Options(_dir);
        await WriteAsync(options, 3);
        using (var raw = Raw(options))
        {
            Exec(raw, "UPDATE schema_version SET version = 3 WHERE component = 'audit';");
        }

        await using var log = new SqliteAuditLog(options);
        var receipt = await log.AppendAsync(SampleEvents.Decision(4));

        Assert.False(receipt.Ok);
        Assert.Equal(AuditErrorCodes.Unavailable, receipt.Error!.Code);
        Assert.Contains("audit.db has schema version 3, this build reads 2", receipt.Error.Message);
    }

    private static void WriteVersion1File(SqliteAuditOptions options, IReadOnlyList<AuditEvent> events)
    {
        using var raw = Raw(options);
        Exec(raw, "PRAGMA journal_mode = WAL;");
        using var tx = raw.BeginTransaction();
        using (var ddl = raw.CreateCommand())
        {
            ddl.Transaction = tx;
            ddl.CommandText = Version1Ddl;
            ddl.ExecuteNonQuery();
        }
        using var insert = raw.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO audit_records (seq, prev_hash, hash, body, kind, time, agent, session_id, decision)
            VALUES ($seq, $prev, $hash, $body, $kind, $time, $agent, $session, $decision);
            """;
        var prev = AuditChainHash.Genesis;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var body = AuditRecordFormat.Serialize(e, i + 1);
            var hash = AuditChainHash.Compute(prev, body)!;
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$seq", i + 1);
            insert.Parameters.AddWithValue("$prev", prev);
            insert.Parameters.AddWithValue("$hash", hash);
            insert.Parameters.AddWithValue("$body", Encoding.UTF8.GetString(body));
            insert.Parameters.AddWithValue("$kind", e.Kind);
            insert.Parameters.AddWithValue("$time", AuditRecordFormat.FormatTime(e.Time));
            insert.Parameters.AddWithValue("$agent", (object?)e.Agent ?? DBNull.Value);
            insert.Parameters.AddWithValue("$session", (object?)e.SessionId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$decision", (object?)e.Decision ?? DBNull.Value);
            insert.ExecuteNonQuery();
            prev = hash;
        }
        tx.Commit();
    }

    private static List<long> Expected(IReadOnlyList<AuditEvent> events, Func<AuditEvent, bool> match) =>
        events.Select((e, i) => (e, Seq: (long)i + 1)).Where(x => match(x.e)).Select(x => x.Seq).ToList();

    private static async Task<List<long>> Seqs(SqliteAuditReader reader, AuditQuery query) =>
        (await AuditQueryEquivalenceTests.ToListAsync(reader.QueryAsync(query))).Select(e => e.Seq).ToList();

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
