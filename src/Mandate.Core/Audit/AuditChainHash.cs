using System.Security.Cryptography;

namespace Mandate.Core.Audit;

/// <summary>The chain rule: <c>hash = SHA-256(prev_hash bytes || canonical JSON bytes)</c>, hex lowercase.</summary>
public static class AuditChainHash
{
    /// <summary>Length of a hash in bytes.</summary>
    public const int Size = 32;

    /// <summary>The previous hash of record 1: 32 zero bytes, as hex.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Computes the hex hash of a record from its predecessor's hex hash and its stored body.</summary>
    /// <returns>The hash, or null when <paramref name="prevHashHex"/> is not 32 bytes of hex.</returns>
    public static string? Compute(string prevHashHex, ReadOnlySpan<byte> body)
    {
        Span<byte> prev = stackalloc byte[Size];
        if (!TryParseHex(prevHashHex, prev))
        {
            return null;
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> result = stackalloc byte[Size];
        Compute(sha, prev, body, result);
        return Convert.ToHexStringLower(result);
    }

    /// <summary>
    /// The chain rule on raw bytes with a caller-owned SHA-256 instance (left reset), for a writer that hashes every
    /// record: creating a hash object per record allocates a native context each time.
    /// </summary>
    public static void Compute(IncrementalHash sha256, ReadOnlySpan<byte> prevHash, ReadOnlySpan<byte> body, Span<byte> hash)
    {
        sha256.AppendData(prevHash);
        sha256.AppendData(body);
        sha256.GetHashAndReset(hash);
    }

    /// <summary>Parses a 64-character hex hash into <paramref name="hash"/> (32 bytes); false when it is not one.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> hex, Span<byte> hash) =>
        hex.Length == 2 * Size
        && Convert.FromHexString(hex, hash, out _, out var written) == System.Buffers.OperationStatus.Done
        && written == Size;

    /// <summary>Parses 64 lowercase or uppercase hex digits in UTF-8 into <paramref name="hash"/> (32 bytes); false
    /// when they are not.</summary>
    public static bool TryParseHexUtf8(ReadOnlySpan<byte> hex, Span<byte> hash) =>
        hex.Length == 2 * Size
        && Convert.FromHexString(hex, hash, out _, out var written) == System.Buffers.OperationStatus.Done
        && written == Size;

    /// <summary>Writes <paramref name="hash"/> as lowercase hex UTF-8 into <paramref name="utf8"/> (twice its length).</summary>
    public static void WriteHexUtf8(ReadOnlySpan<byte> hash, Span<byte> utf8)
    {
        if (!Convert.TryToHexStringLower(hash, utf8, out _))
        {
            throw new ArgumentException("the destination is shorter than twice the hash", nameof(utf8));
        }
    }
}
