using System.Runtime.InteropServices;
using Mandate.Core.Identity;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Core.Tokens;

/// <summary>SHA-256 digests of issued token texts, as stored (base64url) and as dictionary keys.</summary>
internal static class TaskTokenDigests
{
    /// <summary>The digest of <paramref name="token"/>.</summary>
    public static TokenDigest Of(string token) => VerifiedTokenCache.Digest(token);

    /// <summary>The stored form of a digest.</summary>
    public static string Format(TokenDigest digest)
    {
        Span<ulong> words = [digest.A, digest.B, digest.C, digest.D];
        return Base64UrlEncoder.Encode(MemoryMarshal.AsBytes(words).ToArray());
    }

    /// <summary>Reads the stored form; false when it is not 32 bytes of base64url.</summary>
    public static bool TryParse(string text, out TokenDigest digest)
    {
        digest = default;
        if (!Base64UrlStrict.TryDecode(text, out var bytes) || bytes.Length != 32)
        {
            return false;
        }
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        digest = new TokenDigest(words[0], words[1], words[2], words[3]);
        return true;
    }
}
