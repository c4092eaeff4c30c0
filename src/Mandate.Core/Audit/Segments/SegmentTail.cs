using System.Globalization;

namespace Mandate.Core.Audit.Segments;

/// <summary>
/// Where the log ends, found when the writer opens it: the last segment, the end of its last whole record, that
/// record's seq and hash. A tail torn by a crash or a power cut (a frame cut short, or bytes that are no frame) is cut
/// off, after being copied beside the segment (<c>….log.torn-&lt;time&gt;</c>) so nothing is destroyed unseen; a last
/// segment with no whole record is removed the same way.
/// </summary>
/// <param name="Path">The last segment's path.</param>
/// <param name="FirstSeq">Its first seq.</param>
/// <param name="Length">Its length up to the end of its last whole record.</param>
/// <param name="LastSeq">The log's last seq.</param>
/// <param name="LastHash">The log's last chain hash.</param>
/// <param name="SetAside">Bytes set aside as torn.</param>
public sealed record SegmentTail(string Path, long FirstSeq, long Length, long LastSeq, byte[] LastHash, long SetAside)
{
    /// <summary>Finds the tail of the log in <paramref name="folder"/>; null when the log has no record yet.</summary>
    /// <exception cref="IOException">A segment cannot be read or repaired, or its header is not one this build reads
    /// although it holds more than a header: the writer must not guess.</exception>
    public static SegmentTail? Recover(string folder)
    {
        var segments = SegmentFiles.List(folder).ToList();
        long setAside = 0;
        while (segments.Count > 0)
        {
            var last = segments[^1];
            using var scanner = new SegmentScanner(segments, segments.Count - 1);
            long lastSeq = -1;
            var hash = new byte[AuditChainHash.Size];
            long goodEnd = 0;
            while (scanner.MoveNext())
            {
                lastSeq = AuditRecordReader.ReadSeq(SegmentFrame.Payload(scanner.Frame)) ?? throw new IOException($"a record in `{last.Path}` has no readable seq");
                scanner.Hash.CopyTo(hash);
                goodEnd = scanner.NextPosition.Offset;
            }
            var length = new FileInfo(last.Path).Length;
            if (scanner.Stop == ScanStop.Unreadable)
            {
                throw new IOException($"`{last.Path}` cannot be read");
            }
            if (lastSeq < 0)
            {
                if (length > 4096 + SegmentFrame.Overhead && scanner.Stop == ScanStop.BadHeader)
                {
                    throw new IOException($"`{last.Path}` does not start with a segment header");
                }
                setAside += length;
                CopyAside(last.Path, 0, length);
                File.Delete(last.Path);
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            if (goodEnd < length)
            {
                setAside += length - goodEnd;
                CopyAside(last.Path, goodEnd, length);
                using var handle = File.OpenHandle(last.Path, FileMode.Open, FileAccess.ReadWrite);
                RandomAccess.SetLength(handle, goodEnd);
                RandomAccess.FlushToDisk(handle);
            }
            return new SegmentTail(last.Path, last.FirstSeq, goodEnd, lastSeq, hash, setAside);
        }
        return null;
    }

    // Copies bytes [from, to) of a segment to a file beside it before they are cut off.
    private static void CopyAside(string path, long from, long to)
    {
        if (to <= from)
        {
            return;
        }
        var target = path + ".torn-" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        using var source = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        using var copy = SegmentFiles.CreatePrivate(target);
        var buffer = new byte[64 * 1024];
        for (var at = from; at < to;)
        {
            var read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - at)), at);
            if (read <= 0)
            {
                break;
            }
            copy.Write(buffer, 0, read);
            at += read;
        }
        copy.Flush(flushToDisk: true);
    }
}
