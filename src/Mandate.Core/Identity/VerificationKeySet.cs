namespace Mandate.Core.Identity;

/// <summary>An immutable set of trusted public keys (one JWKS or SPIFFE bundle after filtering).</summary>
internal sealed class VerificationKeySet
{
    /// <summary>A set with no keys.</summary>
    public static readonly VerificationKeySet Empty = new([]);

    public VerificationKeySet(IReadOnlyList<VerificationKey> keys)
    {
        Keys = keys;
        Fingerprints = keys.Select(k => k.Fingerprint).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The keys, in document order.</summary>
    public IReadOnlyList<VerificationKey> Keys { get; }

    /// <summary>Fingerprints of every key, to check that a key is still published.</summary>
    public IReadOnlySet<string> Fingerprints { get; }

    /// <summary>True when some key carries this <c>kid</c>.</summary>
    public bool HasKeyId(string kid)
    {
        foreach (var key in Keys)
        {
            if (key.KeyId == kid)
            {
                return true;
            }
        }
        return false;
    }
}
