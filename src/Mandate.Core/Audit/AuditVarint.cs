namespace Mandate.Core.Audit;

/// <summary>LEB128 varints as the binary record format uses them: unsigned, and zigzag for signed numbers.</summary>
public static class AuditVarint
{
    /// <summary>Most bytes a 64-bit varint takes.</summary>
    public const int MaxBytes = 10;

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads an unsigned varint at <paramref name="position"/>, advancing it; false when the bytes end or
    /// the number is longer than 64 bits.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if ((uint)position >= (uint)source.Length)
            {
                return false;
            }
            var b = source[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return shift < 63 || b <= 1;
            }
        }
        return false;
    }

    /// <summary>Zigzag: small negative and positive numbers both take few bytes.</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>The inverse of <see cref="ZigZag"/>.</summary>
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
