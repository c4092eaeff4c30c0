using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// Reads <c>audit.db</c> through read-only connections, so it is safe from another process (the CLI) while a server
/// appends. Each call opens its own connection; every call sees one consistent snapshot.
/// </summary>
public sealed class SqliteAuditReader : IAuditReader
{
    private readonly SqliteAuditOptions _options;

    /// <summary>Creates a reader over the log in <see cref="SqliteAuditOptions.DataDirectory"/>.</summary>
    public SqliteAuditReader(SqliteAuditOptions options) => _options = options;

    /// <inheritdoc />
    /// <remarks>
    /// Returns exactly what a scan of every record with the same filters would. An agent or session filter walks that
    /// term's spans (batches holding it) and checks the column inside them; <c>Since</c> and <c>Until</c> bound the seq
    /// range by the minute spans and are then applied exactly to each record's time, so a clock that stepped back
    /// loses nothing. A version 1 file (not yet upgraded by a writer) is read with its per-record indexes.
    /// </remarks>
    public async IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!SqliteFiles.IsFile(_options.DatabasePath) || query.Limit is <= 0)
        {
            yield break;
        }
        await using var connection = await OpenAsync(ct);
        // One snapshot for the span bounds and the records they bound.
        await using var tx = connection.BeginTransaction(deferred: true);
        var version = AuditSchema.ReadVersion(connection, tx);
        if (version is null)
        {
            yield break;
        }
        var commands = version >= AuditSchema.Version ? SpanQueries(connection, tx, query) : [ScanQuery(connection, tx, query)];
        try
        {
            var last = long.MinValue;
            var count = 0;
            foreach (var cmd in commands)
            {
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var seq = reader.GetInt64(0);
                    if (seq <= last)
                    {
                        continue; // spans of one term never overlap in a log verify accepts; never yield a record twice anyway
                    }
                    last = seq;
                    var body = reader.GetString(3);
                    // A body that does not parse is still shown (as an empty event) so tampering is visible; verify names it.
                    var parsed = AuditRecordFormat.Parse(body);
                    var e = parsed?.Event ?? new AuditEvent { Kind = "" };
                    yield return new AuditEntry(seq, reader.GetString(1), reader.GetString(2), e, body);
                    if (++count == query.Limit)
                    {
                        yield break;
                    }
                }
            }
        }
        finally
        {
            commands.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// The version 2 queries, run in order; none when the spans show no record can match. With an agent or session
    /// filter: one over that term's merged spans, then one over its recent spans (which all come later in seq).
    /// </summary>
    private static List<SqliteCommand> SpanQueries(SqliteConnection connection, SqliteTransaction tx, AuditQuery query)
    {
        if (query.AfterSeq == long.MaxValue)
        {
            return [];
        }
        var from = query.AfterSeq + 1;
        var to = long.MaxValue;
        if (query.Since is { } since)
        {
            // Every record at or after `since` has a minute term at or after since's minute, and every record has a
            // minute span: the first seq of those spans is where such records can start.
            if (SpanBound(connection, tx, "MIN(first_seq)", "term >= $a AND term < $b",
                    AuditSpanTerms.Minute(since), AuditSpanTerms.MinuteEnd) is not { } start)
            {
                return [];
            }
            from = Math.Max(from, start);
        }
        if (query.Until is { } until)
        {
            // Records before `until` have a minute term at or before until's minute: they end by the last seq of those
            // spans. One index range over minute rows, which are about one per batch.
            if (SpanBound(connection, tx, "MAX(last_seq)", "term >= $a AND term <= $b",
                    AuditSpanTerms.MinutePrefix, AuditSpanTerms.Minute(until)) is not { } end)
            {
                return [];
            }
            to = end;
        }
        if (from > to)
        {
            return [];
        }
        var term = query.Agent is { } agent ? AuditSpanTerms.Agent(agent)
            : query.Session is { } session ? AuditSpanTerms.Session(session)
            : null;
        if (term is null)
        {
            var scan = Command(connection, tx, from, to);
            var sql = new StringBuilder("SELECT seq, prev_hash, hash, body FROM audit_records r WHERE seq >= $from AND seq <= $to");
            ColumnFilters(sql, scan, query);
            OrderBySeq(sql, scan, query);
            scan.CommandText = sql.ToString();
            return [scan];
        }
        // Spans of one term are disjoint, so (first_seq, seq) order is seq order without a sort. The span holding
        // `from`, if any, is the last one starting at or before it. Two statements, not a UNION: over a union SQLite
        // materializes the spans and builds a temporary index on the records instead of walking seq ranges.
        var spanFrom = SpanBound(connection, tx, "MAX(first_seq)", "term = $a AND first_seq <= $b", term, from) ?? long.MinValue;
        var commands = new List<SqliteCommand>(2);
        foreach (var table in (string[])["audit_spans", "audit_spans_recent"])
        {
            var cmd = Command(connection, tx, from, to);
            cmd.Parameters.AddWithValue("$term", term);
            cmd.Parameters.AddWithValue("$spanFrom", spanFrom);
            var sql = new StringBuilder($"""
                SELECT r.seq, r.prev_hash, r.hash, r.body
                FROM {table} s JOIN audit_records r ON r.seq BETWEEN s.first_seq AND s.last_seq
                WHERE s.term = $term AND s.first_seq >= $spanFrom AND s.first_seq <= $to AND s.last_seq >= $from
                AND r.seq >= $from AND r.seq <= $to
                """);
            ColumnFilters(sql, cmd, query);
            // The limit is counted in C#, where duplicates from a tampered index are skipped.
            sql.Append(" ORDER BY s.first_seq, r.seq");
            cmd.CommandText = sql.ToString();
            commands.Add(cmd);
        }
        return commands;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, long from, long to)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$from", from);
        cmd.Parameters.AddWithValue("$to", to);
        return cmd;
    }

    /// <summary>The version 1 query: filters on the copied columns, served by that schema's per-record indexes.</summary>
    private static SqliteCommand ScanQuery(SqliteConnection connection, SqliteTransaction tx, AuditQuery query)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        var sql = new StringBuilder("SELECT seq, prev_hash, hash, body FROM audit_records r WHERE seq > $after");
        cmd.Parameters.AddWithValue("$after", query.AfterSeq);
        ColumnFilters(sql, cmd, query);
        OrderBySeq(sql, cmd, query);
        cmd.CommandText = sql.ToString();
        return cmd;
    }

    /// <summary>Ends a scan of <c>audit_records r</c>: in seq order, at most the query's limit.</summary>
    private static void OrderBySeq(StringBuilder sql, SqliteCommand cmd, AuditQuery query)
    {
        sql.Append(" ORDER BY r.seq");
        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT $limit");
            cmd.Parameters.AddWithValue("$limit", limit);
        }
    }

    /// <summary>The exact filters, on the record's own columns.</summary>
    private static void ColumnFilters(StringBuilder sql, SqliteCommand cmd, AuditQuery query)
    {
        Filter(sql, cmd, "agent", query.Agent);
        Filter(sql, cmd, "session_id", query.Session);
        Filter(sql, cmd, "decision", query.Decision);
        Filter(sql, cmd, "kind", query.Kind);
        if (query.Since is { } since)
        {
            sql.Append(" AND r.time >= $since");
            cmd.Parameters.AddWithValue("$since", AuditRecordFormat.FormatTime(since));
        }
        if (query.Until is { } until)
        {
            sql.Append(" AND r.time < $until");
            cmd.Parameters.AddWithValue("$until", AuditRecordFormat.FormatTime(until));
        }
    }

    /// <summary><paramref name="aggregate"/> over the span rows matching <paramref name="where"/> in both span tables.</summary>
    private static long? SpanBound(SqliteConnection connection, SqliteTransaction tx, string aggregate, string where, object a, object b)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        var outer = aggregate[..3]; // MIN or MAX of the two tables' answers
        cmd.CommandText = $"""
            SELECT {outer}(v) FROM (
                SELECT {aggregate} AS v FROM audit_spans WHERE {where}
                UNION ALL
                SELECT {aggregate} FROM audit_spans_recent WHERE {where});
            """;
        cmd.Parameters.AddWithValue("$a", a);
        cmd.Parameters.AddWithValue("$b", b);
        return cmd.ExecuteScalar() is long value ? value : null;
    }

    /// <inheritdoc />
    public async ValueTask<long> GetHeadAsync(CancellationToken ct = default)
    {
        if (!SqliteFiles.IsFile(_options.DatabasePath))
        {
            return 0;
        }
        await using var connection = await OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM audit_records;";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    /// <inheritdoc />
    public async ValueTask<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        // Where a segment log exists, audit.db is only its index: the log is what is verified.
        if (SegmentLogVerifier.Exists(_options.DataDirectory))
        {
            return SegmentLogVerifier.Verify(_options.DataDirectory, _options.PublicKeyPath, ct);
        }
        if (!SqliteFiles.IsFile(_options.DatabasePath))
        {
            return new AuditVerification(0, 0, new AuditProblem(AuditProblemKind.Unreadable, 0, $"no audit log at `{_options.DatabasePath}`"));
        }
        ECDsa? publicKey = null;
        try
        {
            var keyPath = _options.PublicKeyPath ?? Path.Combine(_options.DataDirectory, AuditSigningKey.PublicKeyFile);
            if (File.Exists(keyPath))
            {
                publicKey = AuditSigningKey.LoadPublic(keyPath);
            }
            else if (_options.PublicKeyPath is not null)
            {
                return new AuditVerification(0, 0, new AuditProblem(AuditProblemKind.Unreadable, 0, $"public key `{keyPath}` not found"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            return new AuditVerification(0, 0, new AuditProblem(AuditProblemKind.Unreadable, 0, $"cannot read the public key: {ex.Message}"));
        }

        using (publicKey)
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                // One read transaction (deferred: a reader never takes the write lock): records, spans and checkpoints
                // come from the same snapshot.
                await using var tx = connection.BeginTransaction(deferred: true);
                var version = AuditSchema.ReadVersion(connection, tx);
                var checkpoints = ReadCheckpoints(connection, tx);
                // A version 1 file has no spans yet (its writer builds them when it upgrades the file).
                using var spans = version >= AuditSchema.Version ? new AuditSpanCoverage(connection, tx) : null;
                var columns = new ColumnCheck(spans);
                var result = await AuditChainVerifier.VerifyAsync(ReadRecords(connection, tx, columns, ct), checkpoints, publicKey, ct);
                if (result.Ok && columns.FirstProblem is { } problem)
                {
                    // The chain is intact but a filter copy was changed or removed: queries would hide or misfile this record.
                    return result with { Problem = new AuditProblem(AuditProblemKind.Edited, problem.Seq, problem.Message) };
                }
                return result;
            }
            catch (SqliteException ex)
            {
                return new AuditVerification(0, 0, new AuditProblem(AuditProblemKind.Unreadable, 0, $"cannot read the audit log: {ex.Message}"));
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(SqliteFiles.ConnectionString(_options.DatabasePath, readOnly: true, _options.BusyTimeout));
        await connection.OpenAsync(ct);
        return connection;
    }

    private static void Filter(StringBuilder sql, SqliteCommand cmd, string column, string? value)
    {
        if (value is null)
        {
            return;
        }
        sql.Append($" AND r.{column} = ${column}");
        cmd.Parameters.AddWithValue($"${column}", value);
    }

    private static List<AuditCheckpoint> ReadCheckpoints(SqliteConnection connection, SqliteTransaction tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT seq, hash, time, key_id, signature FROM audit_checkpoints ORDER BY seq, id;";
        using var reader = cmd.ExecuteReader();
        var list = new List<AuditCheckpoint>();
        while (reader.Read())
        {
            list.Add(new AuditCheckpoint(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return list;
    }

    private static async IAsyncEnumerable<StoredAuditRecord> ReadRecords(SqliteConnection connection, SqliteTransaction tx, ColumnCheck columns, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT seq, prev_hash, hash, body, kind, time, agent, session_id, decision FROM audit_records ORDER BY seq;";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var seq = reader.GetInt64(0);
            var body = Encoding.UTF8.GetBytes(reader.GetString(3));
            columns.Check(seq, body, reader);
            yield return new StoredAuditRecord(seq, reader.GetString(1), reader.GetString(2), body);
        }
    }

    /// <summary>
    /// Where the filter copies first disagree with a record's body, found while the chain is read: the query columns,
    /// and (version 2) the record's spans. The body is the truth; an unparsable body is the chain check's to report.
    /// </summary>
    private sealed class ColumnCheck(AuditSpanCoverage? spans)
    {
        public (long Seq, string Message)? FirstProblem { get; private set; }

        public void Check(long seq, byte[] body, SqliteDataReader row)
        {
            if (FirstProblem is not null || AuditRecordFormat.Parse(body) is not { Event: var e })
            {
                return;
            }
            if (!ColumnsMatch(e, row))
            {
                FirstProblem = (seq, $"the query columns of record {seq} disagree with its body");
            }
            else if (spans?.Check(seq, e.Agent, e.SessionId, e.Time) is { } missing)
            {
                FirstProblem = (seq, missing);
            }
        }

        private static bool ColumnsMatch(AuditEvent e, SqliteDataReader row)
        {
            static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
            return Text(row, 4) == e.Kind
                && Text(row, 5) == AuditRecordFormat.FormatTime(e.Time)
                && Text(row, 6) == e.Agent
                && Text(row, 7) == e.SessionId
                && Text(row, 8) == e.Decision;
        }
    }
}
