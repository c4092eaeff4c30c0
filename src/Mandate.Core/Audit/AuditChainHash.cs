using System.Security.Cryptography;

namespace Mandate.Core.Audit;

/// <summary>The chain rule: <c>hash = SHA-256(prev_hash bytes || canonical JSON bytes)</c>, hex lowercase.</summary>
public static class AuditChainHash
{
    /// <summary>The previous hash of record 1: 32 zero bytes, as hex.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Computes the hex hash of a record from its predecessor's hex hash and its stored body.</summary>
    /// <returns>The hash, or null when <paramref name="prevHashHex"/> is not 32 bytes of hex.</returns>
    public static string? Compute(string prevHashHex, ReadOnlySpan<byte> body)
    {
        Span<byte> prev = stackalloc byte[32];
        if (prevHashHex.Length != 64 || Convert.FromHexString(prevHashHex, prev, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return null;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(prev);
        hash.AppendData(body);
        Span<byte> result = stackalloc byte[32];
        hash.GetHashAndReset(result);
        return Convert.ToHexStringLower(result);
    }
}
