using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// The audit writer's statements, prepared once per connection on its raw handle and finalized with it (dispose
/// before the connection closes). Raw SQLitePCL rather than <see cref="SqliteCommand"/>: per record, the command
/// layer's parameter plumbing and the body's UTF-8 → string → UTF-8 round trip cost more than SQLite's insert.
/// Every error code becomes a <see cref="SqliteException"/>, so the writer's failure handling is unchanged.
/// </summary>
internal sealed class AuditWriteStatements : IDisposable
{
    // Kept across many executions: lets SQLite place them outside its lookaside memory.
    private const uint PreparePersistent = 0x01;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _head;
    private readonly sqlite3_stmt _record;
    private readonly sqlite3_stmt _span;
    private readonly sqlite3_stmt _merge;
    private readonly sqlite3_stmt _clear;
    private byte[] _text = new byte[256];

    public AuditWriteStatements(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the audit connection is not open");
        var prepared = new List<sqlite3_stmt>(5);
        try
        {
            _head = Prepare("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1;", prepared);
            _record = Prepare("""
                INSERT INTO audit_records (seq, prev_hash, hash, body, kind, time, agent, session_id, decision)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);
                """, prepared);
            _span = Prepare("INSERT INTO audit_spans_recent (term, first_seq, last_seq) VALUES (?1, ?2, ?3);", prepared);
            _merge = Prepare("""
                INSERT INTO audit_spans (term, first_seq, last_seq)
                SELECT term, first_seq, last_seq FROM audit_spans_recent ORDER BY term, first_seq;
                """, prepared);
            _clear = Prepare("DELETE FROM audit_spans_recent;", prepared);
        }
        catch
        {
            prepared.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>The last record's seq (0 when there is none) and its hash as 64 hex characters in UTF-8
    /// (<see cref="Core.Audit.AuditChainHash.Genesis"/> when there is none).</summary>
    public long ReadHead(Span<byte> hashHex)
    {
        try
        {
            var rc = raw.sqlite3_step(_head);
            if (rc == raw.SQLITE_DONE)
            {
                hashHex.Fill((byte)'0');
                return 0;
            }
            Check(rc, raw.SQLITE_ROW);
            var hash = raw.sqlite3_column_blob(_head, 1);
            if (hash.Length != hashHex.Length)
            {
                throw new InvalidDataException("the last audit record's hash is not 64 hex characters");
            }
            hash.CopyTo(hashHex);
            return raw.sqlite3_column_int64(_head, 0);
        }
        finally
        {
            raw.sqlite3_reset(_head);
        }
    }

    public void InsertRecord(long seq, ReadOnlySpan<byte> prevHashHex, ReadOnlySpan<byte> hashHex, ReadOnlySpan<byte> body,
        string kind, ReadOnlySpan<byte> time, string? agent, string? session, string? decision)
    {
        var s = _record;
        Bind(raw.sqlite3_bind_int64(s, 1, seq));
        Bind(raw.sqlite3_bind_text(s, 2, prevHashHex));
        Bind(raw.sqlite3_bind_text(s, 3, hashHex));
        Bind(raw.sqlite3_bind_text(s, 4, body));
        BindText(s, 5, kind);
        Bind(raw.sqlite3_bind_text(s, 6, time));
        BindText(s, 7, agent);
        BindText(s, 8, session);
        BindText(s, 9, decision);
        Run(s);
    }

    /// <summary>Adds a span row to <c>audit_spans_recent</c>.</summary>
    public void InsertSpan(ReadOnlySpan<byte> term, long first, long last)
    {
        Bind(raw.sqlite3_bind_text(_span, 1, term));
        Bind(raw.sqlite3_bind_int64(_span, 2, first));
        Bind(raw.sqlite3_bind_int64(_span, 3, last));
        Run(_span);
    }

    /// <summary>Moves every recent span row into <c>audit_spans</c>, in term order so each term's page is written once.</summary>
    public void MergeSpans()
    {
        Run(_merge);
        Run(_clear);
    }

    public void Dispose()
    {
        _head.Dispose();
        _record.Dispose();
        _span.Dispose();
        _merge.Dispose();
        _clear.Dispose();
    }

    private sqlite3_stmt Prepare(string sql, List<sqlite3_stmt> prepared)
    {
        Check(raw.sqlite3_prepare_v3(_db, sql, PreparePersistent, out var stmt), raw.SQLITE_OK);
        prepared.Add(stmt);
        return stmt;
    }

    /// <summary>Binds text without a string → UTF-8 allocation. Bindings are copied by SQLite (SQLITE_TRANSIENT), so
    /// one scratch buffer serves every parameter.</summary>
    private void BindText(sqlite3_stmt stmt, int index, string? value)
    {
        if (value is null)
        {
            Bind(raw.sqlite3_bind_null(stmt, index));
            return;
        }
        if (value.Length == 0)
        {
            // An empty span would bind a null pointer, which SQLite stores as NULL, not as ''.
            Bind(raw.sqlite3_bind_text(stmt, index, ""));
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_text.Length < max)
        {
            _text = new byte[max];
        }
        // Text that is not valid UTF-16 never gets here: the serializer refused its record first.
        var written = Encoding.UTF8.GetBytes(value, _text);
        Bind(raw.sqlite3_bind_text(stmt, index, _text.AsSpan(0, written)));
    }

    private void Run(sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        raw.sqlite3_reset(stmt);
        Check(rc, raw.SQLITE_DONE);
    }

    private void Bind(int rc) => Check(rc, raw.SQLITE_OK);

    private void Check(int rc, int expected)
    {
        if (rc != expected)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
            throw new SqliteException($"unexpected SQLite result {rc}", rc);
        }
    }
}
