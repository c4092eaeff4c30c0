using Mandate.Core.Vault;

namespace Mandate.Server.Forwarding;

/// <summary>
/// One secret as <see cref="VaultSecretCache"/> holds it: the decrypted bytes of one version (pinned, see
/// <see cref="VaultCipher.Open"/>), or the error code that stands in for them. Wiped when a newer version, a
/// removal or shutdown replaces it.
/// </summary>
internal sealed class HeldSecret
{
    private readonly VaultSecret? _secret;
    private volatile bool _wiped;

    private HeldSecret(VaultSecret? secret, SecretLookup? failure)
    {
        _secret = secret;
        Failure = failure;
    }

    /// <summary>The version held; 0 for a failure.</summary>
    public long Version => _secret?.Version ?? 0;

    /// <summary>The answer for this name when there is no secret to give; null when there is.</summary>
    public SecretLookup? Failure { get; }

    /// <summary>Holds <paramref name="secret"/> (taken over: wiped by <see cref="Wipe"/>).</summary>
    public static HeldSecret Of(VaultSecret secret) => new(secret, null);

    /// <summary>Holds no secret, only why (a stable vault error code).</summary>
    public static HeldSecret Failed(string code) => new(null, SecretLookup.Failed(code));

    /// <summary>
    /// The value as text, unless this copy was wiped meanwhile (then the caller reads the current copy instead).
    /// No lock: a wipe raises the flag before zeroing, and the flag is read after the bytes, so text decoded from
    /// bytes that were being zeroed is always discarded.
    /// </summary>
    public bool TryReveal(out string value)
    {
        value = _secret!.Reveal();
        // The flag must be read after the bytes were, not before (a plain volatile read does not stop the bytes'
        // reads from moving after it).
        Interlocked.MemoryBarrier();
        return !_wiped;
    }

    /// <summary>Zeroes the bytes. Call only after this copy can no longer be found (a newer map was published).</summary>
    public void Wipe()
    {
        _wiped = true;
        Interlocked.MemoryBarrier();
        _secret?.Dispose();
    }
}
