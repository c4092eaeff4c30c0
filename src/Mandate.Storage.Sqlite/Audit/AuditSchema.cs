using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>Tables of <c>audit.db</c>. The columns beside <c>body</c>, and <c>audit_spans</c>, are copies for
/// filtering; verification trusts only <c>prev_hash</c>, <c>hash</c> and <c>body</c>.</summary>
/// <remarks>
/// Version 2 has no per-record secondary index (three random B-tree inserts per record were the writer's largest
/// cost); queries go through span rows, one per distinct term per committed batch (see <see cref="AuditSpanTerms"/>).
/// A batch writes its span rows to <c>audit_spans_recent</c>, ordered by seq, so they land on the one or two pages at
/// its end; every <see cref="SpanMergeEvery"/> records they move, sorted by term, into <c>audit_spans</c>. Written
/// straight into the term-ordered table, each row of a batch dirtied a page of its own (one per distinct agent and
/// session: ~115 pages per 64-record batch in <c>audit bench</c>), which cost as much as the indexes it replaced.
/// INVARIANT: every row of <c>audit_spans_recent</c> starts after every row of <c>audit_spans</c> ends (verify checks).
/// Version 1 files are upgraded in place, in one transaction, by the first writer that opens them.
/// </remarks>
internal static class AuditSchema
{
    public const int Version = 2;

    /// <summary>Span rows move from <c>audit_spans_recent</c> to <c>audit_spans</c> when the head crosses a multiple of
    /// this. Larger means fewer term pages rewritten per record, but more rows for a query to scan in the recent table
    /// and a longer commit for the batch that moves them.</summary>
    public const long SpanMergeEvery = 16384;

    /// <summary>Records per statement when a version 1 file's spans are built, so no statement holds the whole log.</summary>
    internal const int MigrationChunk = 1000;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS audit_records (
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
        CREATE TABLE IF NOT EXISTS audit_spans (
            term      TEXT NOT NULL,
            first_seq INTEGER NOT NULL,
            last_seq  INTEGER NOT NULL,
            PRIMARY KEY (term, first_seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS audit_spans_recent (
            first_seq INTEGER NOT NULL,
            term      TEXT NOT NULL,
            last_seq  INTEGER NOT NULL,
            PRIMARY KEY (first_seq, term)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS audit_checkpoints (
            id        INTEGER PRIMARY KEY,
            seq       INTEGER NOT NULL,
            hash      TEXT NOT NULL,
            time      TEXT NOT NULL,
            key_id    TEXT NOT NULL,
            signature TEXT NOT NULL
        );
        """;

    public static void Ensure(SqliteConnection connection)
    {
        // WAL lets readers in other processes (the CLI) read while the server writes.
        SqliteFiles.Exec(connection, "PRAGMA journal_mode = WAL;");
        using var tx = connection.BeginTransaction(deferred: false);
        SqliteFiles.Exec(connection, "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);", tx);
        switch (ReadVersion(connection, tx))
        {
            case null:
                SqliteFiles.Exec(connection, Tables, tx);
                SqliteFiles.Exec(connection, $"INSERT INTO schema_version (component, version) VALUES ('audit', {Version});", tx);
                break;
            case 1:
                UpgradeFrom1(connection, tx);
                break;
            case Version:
                SqliteFiles.Exec(connection, Tables, tx);
                break;
            case var other:
                throw new InvalidOperationException($"audit.db has schema version {other}, this build reads {Version}");
        }
        tx.Commit();
    }

    /// <summary>The file's audit schema version; null for a file without one (new).</summary>
    public static int? ReadVersion(SqliteConnection connection, SqliteTransaction? tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT (SELECT version FROM schema_version WHERE component = 'audit')
            WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version');
            """;
        return cmd.ExecuteScalar() is long version ? (int)version : null;
    }

    /// <summary>Version 1 → 2 inside the caller's transaction: spans built from the filter columns, chunk by chunk,
    /// then the three per-record indexes dropped. Either all of it commits or none.</summary>
    private static void UpgradeFrom1(SqliteConnection connection, SqliteTransaction tx)
    {
        SqliteFiles.Exec(connection, Tables, tx);
        using var end = connection.CreateCommand();
        end.Transaction = tx;
        // The chunk ends at the 1000th record after `first`, or at the last one: walking real seqs, not arithmetic
        // over MAX(seq), so a sparse or huge seq cannot make the loop long.
        end.CommandText = """
            SELECT COALESCE(
                (SELECT seq FROM audit_records WHERE seq > $after ORDER BY seq LIMIT 1 OFFSET $offset),
                (SELECT MAX(seq) FROM audit_records WHERE seq > $after));
            """;
        var pAfter = end.Parameters.Add("$after", SqliteType.Integer);
        end.Parameters.AddWithValue("$offset", MigrationChunk - 1);
        using var fill = connection.CreateCommand();
        fill.Transaction = tx;
        fill.CommandText = $"""
            INSERT INTO audit_spans (term, first_seq, last_seq)
            SELECT term, MIN(seq), MAX(seq) FROM (
                SELECT seq, '{AuditSpanTerms.AgentPrefix}' || agent AS term FROM audit_records WHERE seq > $after AND seq <= $last AND agent IS NOT NULL
                UNION ALL
                SELECT seq, '{AuditSpanTerms.SessionPrefix}' || session_id FROM audit_records WHERE seq > $after AND seq <= $last AND session_id IS NOT NULL
                UNION ALL
                SELECT seq, '{AuditSpanTerms.MinutePrefix}' || substr(time, 1, {Core.Audit.AuditRecordFormat.MinuteLength}) FROM audit_records WHERE seq > $after AND seq <= $last
            ) GROUP BY term;
            """;
        var fAfter = fill.Parameters.Add("$after", SqliteType.Integer);
        var fLast = fill.Parameters.Add("$last", SqliteType.Integer);
        var after = long.MinValue;
        while (true)
        {
            pAfter.Value = after;
            if (end.ExecuteScalar() is not long last)
            {
                break;
            }
            fAfter.Value = after;
            fLast.Value = last;
            fill.ExecuteNonQuery();
            after = last;
        }
        SqliteFiles.Exec(connection, """
            DROP INDEX IF EXISTS audit_records_agent;
            DROP INDEX IF EXISTS audit_records_session;
            DROP INDEX IF EXISTS audit_records_time;
            """, tx);
        SqliteFiles.Exec(connection, $"UPDATE schema_version SET version = {Version} WHERE component = 'audit';", tx);
    }
}
