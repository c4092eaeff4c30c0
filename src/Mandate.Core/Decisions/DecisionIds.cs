using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mandate.Core.Decisions;

/// <summary>
/// Decision ids: UUID version 7 (RFC 9562: 48-bit Unix milliseconds, then 74 random bits) as 32 lowercase hex
/// characters, so ids sort by time. The random bits come from the system CSPRNG in blocks of a few hundred ids per
/// thread: <see cref="Guid.CreateVersion7()"/> made one read of <c>/dev/urandom</c> (a system call) per request.
/// Ids are unique, not secret: they are shown to the caller.
/// </summary>
public static class DecisionIds
{
    private const int BlockBytes = 640;
    private const int BytesPerId = 10;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    /// <summary>A new id for now.</summary>
    public static string New() => New(DateTimeOffset.UtcNow);

    /// <summary>A new id for <paramref name="time"/>.</summary>
    public static string New(DateTimeOffset time)
    {
        var random = t_random;
        if (random is null || t_used + BytesPerId > BlockBytes)
        {
            random = t_random ??= new byte[BlockBytes];
            RandomNumberGenerator.Fill(random);
            t_used = 0;
        }

        Span<byte> uuid = stackalloc byte[16];
        var ms = (ulong)Math.Max(0, time.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt64BigEndian(uuid, ms << 16);
        random.AsSpan(t_used, BytesPerId).CopyTo(uuid[6..]);
        t_used += BytesPerId;
        uuid[6] = (byte)(0x70 | (uuid[6] & 0x0F)); // version 7
        uuid[8] = (byte)(0x80 | (uuid[8] & 0x3F)); // variant 10
        return Convert.ToHexStringLower(uuid);
    }
}
