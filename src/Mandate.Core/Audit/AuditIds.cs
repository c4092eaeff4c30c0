namespace Mandate.Core.Audit;

/// <summary>Decision ids in their compact form: a lowercase hyphenated UUID is stored as its 16 bytes.</summary>
public static class AuditIds
{
    private const int UuidLength = 36;

    /// <summary>Writes the 16 bytes of <paramref name="id"/> when it is exactly a lowercase hyphenated UUID (the hex
    /// digits in text order); false otherwise, and then <paramref name="destination"/> is undefined.</summary>
    public static bool TryWriteUuid(string id, Span<byte> destination)
    {
        if (id.Length != UuidLength || destination.Length < 16)
        {
            return false;
        }
        var j = 0;
        for (var i = 0; i < UuidLength; i += 2)
        {
            if (i is 8 or 13 or 18 or 23)
            {
                if (id[i] != '-')
                {
                    return false;
                }
                i--;
                continue;
            }
            var hi = Nibble(id[i]);
            var lo = Nibble(id[i + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }
            destination[j++] = (byte)(hi << 4 | lo);
        }
        return j == 16;
    }

    /// <summary>The text of a UUID stored by <see cref="TryWriteUuid"/>.</summary>
    public static string FormatUuid(ReadOnlySpan<byte> bytes)
    {
        Span<char> hex = stackalloc char[32];
        Convert.TryToHexStringLower(bytes[..16], hex, out _);
        Span<char> text = stackalloc char[UuidLength];
        hex[..8].CopyTo(text);
        text[8] = '-';
        hex.Slice(8, 4).CopyTo(text[9..]);
        text[13] = '-';
        hex.Slice(12, 4).CopyTo(text[14..]);
        text[18] = '-';
        hex.Slice(16, 4).CopyTo(text[19..]);
        text[23] = '-';
        hex[20..].CopyTo(text[24..]);
        return new string(text);
    }

    // Lowercase hex only: an uppercase id would not come back as written.
    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
