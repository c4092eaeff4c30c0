using System.Runtime.InteropServices;
using System.Text;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// The <c>audit_spans</c> rows of one batch: for each distinct term, the first and last seq in the batch where it
/// occurs. Writer-owned and reused; keyed by the record's own strings and by whole minutes, so adding a record
/// allocates nothing once the batch has seen its agent, session and minute.
/// </summary>
internal sealed class AuditSpanBatch
{
    private readonly Dictionary<string, SeqRange> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SeqRange> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, SeqRange> _minutes = [];
    private byte[] _term = new byte[256];

    /// <summary>Notes record <paramref name="seq"/> (seqs arrive in ascending order).</summary>
    public void Add(long seq, string? agent, string? session, DateTimeOffset time)
    {
        if (agent is not null)
        {
            Note(_agents, agent, seq);
        }
        if (session is not null)
        {
            Note(_sessions, session, seq);
        }
        Note(_minutes, time.UtcTicks / TimeSpan.TicksPerMinute, seq);
    }

    public void WriteTo(AuditWriteStatements statements)
    {
        foreach (var (agent, range) in _agents)
        {
            statements.InsertSpan(Term(AuditSpanTerms.AgentPrefix, agent), range.First, range.Last);
        }
        foreach (var (session, range) in _sessions)
        {
            statements.InsertSpan(Term(AuditSpanTerms.SessionPrefix, session), range.First, range.Last);
        }
        Span<byte> minuteTerm = stackalloc byte[AuditSpanTerms.MinuteTermLength];
        foreach (var (minute, range) in _minutes)
        {
            statements.InsertSpan(minuteTerm[..AuditSpanTerms.WriteMinute(minute, minuteTerm)], range.First, range.Last);
        }
    }

    public void Clear()
    {
        _agents.Clear();
        _sessions.Clear();
        _minutes.Clear();
    }

    private ReadOnlySpan<byte> Term(string prefix, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(prefix.Length + value.Length);
        if (_term.Length < length)
        {
            _term = new byte[length];
        }
        var written = Encoding.UTF8.GetBytes(prefix, _term);
        written += Encoding.UTF8.GetBytes(value, _term.AsSpan(written));
        return _term.AsSpan(0, written);
    }

    private static void Note<TKey>(Dictionary<TKey, SeqRange> map, TKey key, long seq)
        where TKey : notnull
    {
        ref var range = ref CollectionsMarshal.GetValueRefOrAddDefault(map, key, out var exists);
        if (!exists)
        {
            range.First = seq;
        }
        range.Last = seq;
    }

    private struct SeqRange
    {
        public long First;
        public long Last;
    }
}
