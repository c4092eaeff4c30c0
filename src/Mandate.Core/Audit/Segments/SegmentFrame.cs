using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mandate.Core.Audit.Segments;

/// <summary>
/// One record in a segment: <c>[u32 payload length][32-byte hash of the previous record][payload][u32 check]</c>,
/// little-endian. The record's chain hash is <c>SHA-256(previous hash || payload)</c> (the rule of format 1, so records
/// carried over from an older log keep their hashes); the check is that hash's first four bytes, so a frame torn by a
/// crash or a power cut is told apart from a whole one without the next record.
/// </summary>
public static class SegmentFrame
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeadLength = 4 + AuditChainHash.Size;

    /// <summary>Bytes of a frame besides its payload.</summary>
    public const int Overhead = HeadLength + 4;

    /// <summary>Largest payload a frame may hold (a larger record is refused as invalid).</summary>
    public const int MaxPayload = 1 << 24;

    /// <summary>Reads the frame at the start of <paramref name="data"/>.</summary>
    /// <returns><see cref="FrameStatus.Incomplete"/> when <paramref name="data"/> ends inside it,
    /// <see cref="FrameStatus.Invalid"/> when its length or check is wrong.</returns>
    public static FrameStatus TryRead(ReadOnlySpan<byte> data, Span<byte> hash, out int frameLength) =>
        TryRead(data, hash, null, out frameLength);

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, Span{byte}, out int)"/> with a caller-owned SHA-256 (left
    /// reset): a reader of many frames saves creating a native hash context per frame.</summary>
    public static FrameStatus TryRead(ReadOnlySpan<byte> data, Span<byte> hash, IncrementalHash? sha256, out int frameLength)
    {
        frameLength = 0;
        if (data.Length < HeadLength)
        {
            return FrameStatus.Incomplete;
        }
        var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (payloadLength == 0 || payloadLength > MaxPayload)
        {
            return FrameStatus.Invalid;
        }
        var total = Overhead + (int)payloadLength;
        if (data.Length < total)
        {
            return FrameStatus.Incomplete;
        }
        if (sha256 is null)
        {
            SHA256.HashData(data.Slice(4, AuditChainHash.Size + (int)payloadLength), hash);
        }
        else
        {
            sha256.AppendData(data.Slice(4, AuditChainHash.Size + (int)payloadLength));
            sha256.GetHashAndReset(hash);
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(total - 4)) != BinaryPrimitives.ReadUInt32LittleEndian(hash))
        {
            return FrameStatus.Invalid;
        }
        frameLength = total;
        return FrameStatus.Ok;
    }

    /// <summary>The previous record's hash held by the frame at the start of <paramref name="frame"/>.</summary>
    public static ReadOnlySpan<byte> Previous(ReadOnlySpan<byte> frame) => frame.Slice(4, AuditChainHash.Size);

    /// <summary>The payload of the frame at the start of <paramref name="frame"/>.</summary>
    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> frame) =>
        frame.Slice(HeadLength, (int)BinaryPrimitives.ReadUInt32LittleEndian(frame));
}

/// <summary>What <see cref="SegmentFrame.TryRead"/> found.</summary>
public enum FrameStatus
{
    /// <summary>A whole frame whose check matches.</summary>
    Ok,

    /// <summary>The bytes end inside the frame (the tail of a log being written, or torn by a crash).</summary>
    Incomplete,

    /// <summary>Not a frame: a length out of range, or a check that does not match its bytes.</summary>
    Invalid,
}
