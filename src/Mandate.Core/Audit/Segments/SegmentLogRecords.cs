using System.Runtime.CompilerServices;
using System.Text;

namespace Mandate.Core.Audit.Segments;

/// <summary>A query answered by scanning the log itself (no index): what the log answers when no index is beside it.</summary>
public static class SegmentLogRecords
{
    /// <summary>Records of the log in <paramref name="folder"/> up to <paramref name="head"/> matching <paramref name="query"/>.</summary>
    public static async IAsyncEnumerable<AuditEntry> QueryAsync(string folder, AuditQuery query, long head, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Yield();
        using var cursor = new SegmentLogCursor(folder);
        var count = 0;
        while (cursor.Next(head) is { } entry)
        {
            ct.ThrowIfCancellationRequested();
            if (query.Limit is { } limit && count >= limit)
            {
                yield break;
            }
            if (!Matches(entry, query))
            {
                continue;
            }
            count++;
            yield return ToEntry(entry);
        }
    }

    /// <summary>The entry a reader of the index would see for <paramref name="entry"/> (canonical JSON of format 1).</summary>
    public static AuditEntry ToEntry(SegmentLogEntry entry) =>
        new(entry.Seq, entry.PrevHash, entry.Hash, entry.Event, Encoding.UTF8.GetString(AuditRecordFormat.SerializeToSharedBuffer(entry.Event, entry.Seq)));

    private static bool Matches(SegmentLogEntry entry, AuditQuery q)
    {
        var e = entry.Event;
        return entry.Seq > q.AfterSeq
            && (q.Agent is null || q.Agent == e.Agent)
            && (q.Session is null || q.Session == e.SessionId)
            && (q.Since is null || e.Time >= q.Since)
            && (q.Until is null || e.Time < q.Until)
            && (q.Decision is null || q.Decision == e.Decision)
            && (q.Kind is null || q.Kind == e.Kind);
    }
}
