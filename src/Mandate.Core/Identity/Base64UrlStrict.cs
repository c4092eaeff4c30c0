using System.Buffers.Text;

namespace Mandate.Core.Identity;

/// <summary>
/// Base64url decoding that accepts exactly one spelling per byte string: the unpadded alphabet only,
/// and zero unused bits. A lenient decoder lets two different token strings carry one signature.
/// </summary>
internal static class Base64UrlStrict
{
    /// <summary>Decodes <paramref name="text"/>; false if it is not canonical unpadded base64url.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!IsAlphabet(c))
            {
                return false;
            }
        }
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }
        // Re-encoding must give the same text, which rules out non-zero unused trailing bits.
        return Base64Url.EncodeToString(bytes).AsSpan().SequenceEqual(text);
    }

    private static bool IsAlphabet(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
