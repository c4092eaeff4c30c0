using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// Checks, while verify reads records in seq order, that every record's agent, session and minute terms are covered
/// by a span of <c>audit_spans</c>, and that the spans of one term never overlap (the reader relies on that). Spans
/// are read alongside, ordered by first_seq; only the ones still open at the current seq are kept, so memory follows
/// the terms in flight, not the size of the log. Deleting span rows to hide records from queries is caught here, and
/// so is a recent span row placed before the merged ones (the reader reads the merged rows first).
/// </summary>
internal sealed class AuditSpanCoverage : IDisposable
{
    private readonly SqliteCommand _cmd;
    private readonly SqliteDataReader _spans;
    private readonly Dictionary<string, long> _openUntil = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _closing = new();
    private (string Term, long First, long Last)? _next;
    private long? _misplaced;

    public AuditSpanCoverage(SqliteConnection connection, SqliteTransaction tx)
    {
        using (var order = connection.CreateCommand())
        {
            order.Transaction = tx;
            order.CommandText = """
                SELECT MIN(first_seq) FROM audit_spans_recent
                WHERE first_seq <= (SELECT MAX(last_seq) FROM audit_spans);
                """;
            _misplaced = order.ExecuteScalar() is long seq ? seq : null;
        }
        _cmd = connection.CreateCommand();
        _cmd.Transaction = tx;
        _cmd.CommandText = """
            SELECT term, first_seq, last_seq FROM audit_spans
            UNION ALL
            SELECT term, first_seq, last_seq FROM audit_spans_recent
            ORDER BY first_seq, term;
            """;
        _spans = _cmd.ExecuteReader();
        _next = Read();
    }

    /// <summary>A description of what is wrong at record <paramref name="seq"/> with these terms; null when all is well.
    /// Calls come in ascending seq order.</summary>
    public string? Check(long seq, string? agent, string? session, DateTimeOffset time)
    {
        if (_misplaced <= seq)
        {
            return $"a recent query index row at record {_misplaced} comes before the merged ones";
        }
        while (_next is { } span && span.First <= seq)
        {
            if (Open(span) is { } overlap)
            {
                return overlap;
            }
            _next = Read();
        }
        CloseBefore(seq);
        if (agent is not null && !Covers(AuditSpanTerms.Agent(agent), seq))
        {
            return $"record {seq} is missing from the query index for agent `{agent}`";
        }
        if (session is not null && !Covers(AuditSpanTerms.Session(session), seq))
        {
            return $"record {seq} is missing from the query index for session `{session}`";
        }
        var minute = AuditSpanTerms.Minute(time);
        return Covers(minute, seq) ? null : $"record {seq} is missing from the query index for minute `{minute[AuditSpanTerms.MinutePrefix.Length..]}`";
    }

    public void Dispose()
    {
        _spans.Dispose();
        _cmd.Dispose();
    }

    private string? Open((string Term, long First, long Last) span)
    {
        CloseBefore(span.First);
        if (_openUntil.TryGetValue(span.Term, out var last) && last >= span.First)
        {
            return $"query index rows for `{span.Term}` overlap at record {span.First}";
        }
        _openUntil[span.Term] = span.Last;
        _closing.Enqueue(span.Term, span.Last);
        return null;
    }

    private void CloseBefore(long seq)
    {
        while (_closing.TryPeek(out var term, out var last) && last < seq)
        {
            _closing.Dequeue();
            if (_openUntil.TryGetValue(term, out var open) && open == last)
            {
                _openUntil.Remove(term);
            }
        }
    }

    private bool Covers(string term, long seq) => _openUntil.TryGetValue(term, out var last) && last >= seq;

    private (string, long, long)? Read() =>
        _spans.Read() ? (_spans.GetString(0), _spans.GetInt64(1), _spans.GetInt64(2)) : null;
}
