namespace Mandate.Core.Vault;

/// <summary>Stable error codes of the vault. Every one of them means: do not forward, there is no credential.</summary>
public static class VaultErrorCodes
{
    /// <summary>No master key is configured (neither key file nor environment variable). The vault is unusable.</summary>
    public const string NoKey = "vault.no_key";
    /// <summary>The master key is there but not 32 bytes of base64.</summary>
    public const string BadKey = "vault.bad_key";
    /// <summary>The secret was written under another master key.</summary>
    public const string WrongKey = "vault.wrong_key";
    /// <summary>The ciphertext does not authenticate (tampered, or moved from another name).</summary>
    public const string DecryptFailed = "vault.decrypt_failed";
    /// <summary>No secret by that name.</summary>
    public const string NotFound = "vault.not_found";
    /// <summary>The name is empty, too long, or has characters outside <c>[A-Za-z0-9._/-]</c>.</summary>
    public const string InvalidName = "vault.invalid_name";
    /// <summary>The store could not be read or written.</summary>
    public const string Unavailable = "vault.unavailable";
    /// <summary>A copy of the secret held in memory could not be confirmed current for longer than its staleness bound
    /// (the store has been unreadable), so it is no longer used.</summary>
    public const string Stale = "vault.stale";
    /// <summary>The secret is not among those loaded into memory (no configuration named it when the copies were last
    /// loaded).</summary>
    public const string NotLoaded = "vault.not_loaded";
}
