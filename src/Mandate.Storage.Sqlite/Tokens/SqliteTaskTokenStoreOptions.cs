namespace Mandate.Storage.Sqlite.Tokens;

/// <summary>Settings of the SQLite task token store. Immutable.</summary>
public sealed record SqliteTaskTokenStoreOptions
{
    /// <summary>Directory holding <c>tokens.db</c>. Required; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// Optional 32-byte key that seals the signing keys' private halves (AES-256-GCM, the vault's cipher); the vault
    /// master key is the natural choice. Without it the private keys rest as plain PKCS#8, protected by the file's
    /// mode 600 alone. A store written with a key cannot be opened without it.
    /// </summary>
    public byte[]? KeyEncryptionKey { get; init; }

    /// <summary>How long SQLite waits on a lock held by another connection. Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most writes committed in one transaction (group commit). Default 1024.</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>Path of the database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "tokens.db");
}
