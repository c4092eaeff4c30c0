using Microsoft.Win32.SafeHandles;

namespace Mandate.Core.Audit.Segments;

/// <summary>
/// Reads frames in log order across segment files, from a position on, through a buffer (one read per megabyte, not
/// one per frame). Safe beside the writer: a frame being written shows as <see cref="ScanStop.Incomplete"/> at the
/// end, and a later scanner from <see cref="NextPosition"/> sees it once it is whole. Checks each frame's length and
/// check, and each segment's header; what the records say (seq, links) is for the caller to judge.
/// </summary>
public sealed class SegmentScanner : IDisposable
{
    private const int ChunkBytes = 1 << 20;
    private readonly IReadOnlyList<SegmentInfo> _segments;
    private readonly byte[] _hash = new byte[AuditChainHash.Size];
    private readonly System.Security.Cryptography.IncrementalHash _sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[ChunkBytes];
    private SafeFileHandle? _handle;
    private int _segment;
    private long _bufferStart;   // file offset of _buffer[0]
    private int _bufferLength;
    private int _position;       // index in _buffer of the next frame
    private int _frameLength;
    private bool _atSegmentStart;
    private long _startOffset;

    /// <summary>Scans <paramref name="segments"/> from segment <paramref name="segment"/>, at file offset
    /// <paramref name="offset"/> (the first frame's when null).</summary>
    public SegmentScanner(IReadOnlyList<SegmentInfo> segments, int segment = 0, long? offset = null)
    {
        _segments = segments;
        _segment = segment - 1;
        _startOffset = offset ?? -1;
        NextSegmentIndex = segment;
    }

    private int NextSegmentIndex { get; set; }

    /// <summary>Why the last <see cref="MoveNext"/> returned false.</summary>
    public ScanStop Stop { get; private set; }

    /// <summary>The segment the scanner is in (of the current frame, or where it stopped).</summary>
    public SegmentInfo? Segment => _segment >= 0 && _segment < _segments.Count ? _segments[_segment] : null;

    /// <summary>Index of <see cref="Segment"/> in the list.</summary>
    public int SegmentIndex => _segment;

    /// <summary>The header of <see cref="Segment"/>.</summary>
    public SegmentHeader? Header { get; private set; }

    /// <summary>File offset of the current frame (or where the scan stopped).</summary>
    public long Offset => _bufferStart + _position;

    /// <summary>Where the frame after the current one starts: (segment index, file offset).</summary>
    public (int Segment, long Offset) NextPosition => (_segment, _bufferStart + _position + _frameLength);

    /// <summary>True when the current frame is the first of its segment.</summary>
    public bool IsSegmentStart => _atSegmentStart;

    /// <summary>The current frame's bytes (valid until the next <see cref="MoveNext"/>).</summary>
    public ReadOnlySpan<byte> Frame => _buffer.AsSpan(_position, _frameLength);

    /// <summary>The current record's chain hash (its check matched).</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>Makes the next <see cref="MoveNext"/> return the current frame again (a follower that found it not yet
    /// committed reads it once it is).</summary>
    public void Unread() => _frameLength = 0;

    /// <summary>Advances to the next whole frame; false at the end of the log or at a problem (see <see cref="Stop"/>).</summary>
    public bool MoveNext()
    {
        _position += _frameLength;
        _frameLength = 0;
        _atSegmentStart = false;
        while (true)
        {
            if (_handle is null && !OpenNext())
            {
                return false;
            }
            var status = SegmentFrame.TryRead(_buffer.AsSpan(_position, _bufferLength - _position), _hash, _sha, out var length);
            if (status == FrameStatus.Ok)
            {
                _frameLength = length;
                return true;
            }
            if (status == FrameStatus.Incomplete && Fill())
            {
                continue;
            }
            if (status == FrameStatus.Incomplete && _bufferLength == _position && _segment + 1 < _segments.Count)
            {
                CloseHandle();
                continue; // this segment ends cleanly at a frame boundary: on to the next
            }
            Stop = status == FrameStatus.Invalid ? ScanStop.Invalid : _bufferLength == _position ? ScanStop.End : ScanStop.Incomplete;
            return false;
        }
    }

    private bool OpenNext()
    {
        _segment++;
        if (_segment >= _segments.Count)
        {
            _segment = _segments.Count - 1;
            Stop = ScanStop.End;
            return false;
        }
        try
        {
            _handle = File.OpenHandle(_segments[_segment].Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Stop = ScanStop.Unreadable;
            return false;
        }
        _bufferStart = 0;
        _bufferLength = 0;
        _position = 0;
        Fill();
        Header = SegmentFiles.ReadHeader(_buffer.AsSpan(0, _bufferLength));
        if (Header is null)
        {
            Stop = ScanStop.BadHeader;
            return false;
        }
        var start = _startOffset >= 0 ? _startOffset : Header.Length;
        _startOffset = -1;
        _atSegmentStart = start == Header.Length;
        if (start > _bufferLength)
        {
            _bufferStart = start;
            _bufferLength = 0;
            Fill();
        }
        else
        {
            _position = (int)start;
        }
        return true;
    }

    // Reads more of the current segment after the buffered bytes; false when nothing more is there now.
    private bool Fill()
    {
        if (_position > 0 && _position == _bufferLength)
        {
            _bufferStart += _position;
            _bufferLength = 0;
            _position = 0;
        }
        else if (_position > _buffer.Length / 2)
        {
            Buffer.BlockCopy(_buffer, _position, _buffer, 0, _bufferLength - _position);
            _bufferStart += _position;
            _bufferLength -= _position;
            _position = 0;
        }
        if (_bufferLength == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a frame larger than the buffer
        }
        int read;
        try
        {
            read = RandomAccess.Read(_handle!, _buffer.AsSpan(_bufferLength), _bufferStart + _bufferLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        _bufferLength += read;
        return read > 0;
    }

    private void CloseHandle()
    {
        _handle?.Dispose();
        _handle = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CloseHandle();
        _sha.Dispose();
    }
}

/// <summary>Why a <see cref="SegmentScanner"/> stopped.</summary>
public enum ScanStop
{
    /// <summary>The last segment ends at a frame boundary.</summary>
    End,

    /// <summary>The bytes end inside a frame: a frame being written, or torn by a crash, or a segment cut short.</summary>
    Incomplete,

    /// <summary>The bytes at <see cref="SegmentScanner.Offset"/> are not a frame.</summary>
    Invalid,

    /// <summary>A segment does not start with a header this build reads.</summary>
    BadHeader,

    /// <summary>A segment could not be opened or read.</summary>
    Unreadable,
}
