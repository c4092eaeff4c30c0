using System.Runtime.InteropServices;

namespace Mandate.Core.Audit;

/// <summary>
/// The answer to an append: success means the record is in the log (in the durability class asked for) with the given
/// sequence number and chain hash; failure carries an <see cref="AuditError"/> and nothing was acknowledged. A struct
/// holding the hash's bytes, so that a successful append allocates nothing; <see cref="Hash"/> formats it on demand.
/// </summary>
public readonly struct AuditReceipt
{
    private readonly HashBytes _hash;

    private AuditReceipt(long seq, HashBytes hash, AuditError? error)
    {
        Seq = seq;
        _hash = hash;
        Error = error;
    }

    /// <summary>True when the record is in the log.</summary>
    public bool Ok => Error is null;

    /// <summary>Sequence number of the record (1..n); 0 on failure, and for a posted record.</summary>
    public long Seq { get; }

    /// <summary>Hex SHA-256 chain hash of the record; null on failure.</summary>
    public string? Hash => Ok ? Convert.ToHexStringLower(MemoryMarshal.AsBytes(new ReadOnlySpan<HashBytes>(in _hash))) : null;

    /// <summary>Why the append failed; null on success.</summary>
    public AuditError? Error { get; }

    /// <summary>A record in the log with chain hash <paramref name="hash"/> (32 bytes).</summary>
    public static AuditReceipt Success(long seq, ReadOnlySpan<byte> hash) => new(seq, MemoryMarshal.Read<HashBytes>(hash), null);

    /// <summary>A record in the log with chain hash <paramref name="hashHex"/> (64 hex digits).</summary>
    public static AuditReceipt Success(long seq, string hashHex)
    {
        Span<byte> hash = stackalloc byte[AuditChainHash.Size];
        return AuditChainHash.TryParseHex(hashHex, hash)
            ? Success(seq, hash)
            : throw new ArgumentException("a chain hash is 64 hex digits", nameof(hashHex));
    }

    /// <summary>A failed append; no record was acknowledged.</summary>
    public static AuditReceipt Failed(string code, string message) => new(0, default, new AuditError(code, message));

    /// <summary>A failed append with <paramref name="error"/>.</summary>
    public static AuditReceipt Failed(AuditError error) => new(0, default, error);

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct HashBytes
    {
        private readonly ulong _a, _b, _c, _d;
    }
}
