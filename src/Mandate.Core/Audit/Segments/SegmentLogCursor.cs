namespace Mandate.Core.Audit.Segments;

/// <summary>
/// Reads the log's records in order, from the first on, while a writer appends: each <see cref="Next"/> returns the
/// next record up to a seq the writer has committed, or null when there is none yet; call again later to go on. What
/// an index uses to follow the log, and what a query over the log scans.
/// </summary>
public sealed class SegmentLogCursor : IDisposable
{
    private readonly string _folder;
    private readonly AuditRecordReader _reader = new();
    private SegmentScanner? _scanner;
    private int _segment;
    private long? _offset;
    private long _last;

    /// <summary>A cursor at the start of segment <paramref name="segment"/> (by position in the list) of the log in
    /// <paramref name="folder"/>: the first by default. Every segment starts a block, so any segment is a place to start.</summary>
    public SegmentLogCursor(string folder, int segment = 0)
    {
        _folder = folder;
        _segment = segment;
    }

    /// <summary>The next record whose seq is at most <paramref name="committed"/>; null when there is none now.</summary>
    /// <exception cref="InvalidDataException">The log holds bytes that are not a record where one must be.</exception>
    public SegmentLogEntry? Next(long committed) => Next(committed, relisted: false);

    private SegmentLogEntry? Next(long committed, bool relisted)
    {
        if (_scanner is null)
        {
            var segments = SegmentFiles.List(_folder);
            if (segments.Count == 0 || _segment >= segments.Count)
            {
                return null;
            }
            _scanner = new SegmentScanner(segments, _segment, _offset);
        }
        // The scanner stays open between calls and reads on from where it stopped; it is rebuilt (listing the segments
        // again) only when the log has committed records it cannot see: they are in a segment started since.
        if (!_scanner.MoveNext())
        {
            var stop = _scanner.Stop;
            if (stop is not (ScanStop.End or ScanStop.Incomplete or ScanStop.Invalid))
            {
                throw new InvalidDataException($"the audit log cannot be read ({stop})");
            }
            // Invalid past the committed head is a write in progress or one being cut back: read again later.
            if (committed > _last && !relisted)
            {
                Park(_scanner.SegmentIndex, _scanner.Offset);
                return Next(committed, relisted: true);
            }
            return null;
        }
        var payload = SegmentFrame.Payload(_scanner.Frame);
        var seq = AuditRecordReader.ReadSeq(payload) ?? throw new InvalidDataException("an audit record has no seq");
        if (seq > committed)
        {
            _scanner.Unread();
            return null;
        }
        if (_scanner.IsSegmentStart)
        {
            _reader.Reset();
        }
        var record = _reader.ReadEvent(payload) ?? throw new InvalidDataException($"audit record {seq} does not decode");
        var entry = new SegmentLogEntry(seq, Convert.ToHexStringLower(SegmentFrame.Previous(_scanner.Frame)),
            Convert.ToHexStringLower(_scanner.Hash), record.Event, record.Flags);
        (_segment, _offset) = _scanner.NextPosition;
        _last = seq;
        return entry;
    }

    // Forgets the scanner, keeping where to go on from: the next call lists the segments again (a new one may exist).
    private void Park(int segment, long offset)
    {
        _segment = Math.Max(0, segment);
        _offset = offset;
        _scanner?.Dispose();
        _scanner = null;
    }

    /// <inheritdoc />
    public void Dispose() => _scanner?.Dispose();
}

/// <summary>One record of the log as a cursor reads it.</summary>
/// <param name="Seq">Its seq.</param>
/// <param name="PrevHash">The previous record's hash, hex.</param>
/// <param name="Hash">Its chain hash, hex.</param>
/// <param name="Event">What it records.</param>
/// <param name="Flags">Its flags (power-loss class, block start).</param>
public sealed record SegmentLogEntry(long Seq, string PrevHash, string Hash, AuditEvent Event, AuditRecordFlags Flags);
