using Mandate.Core.Vault;

namespace Mandate.Storage.Sqlite.Vault;

/// <summary>Settings of the SQLite vault. Immutable.</summary>
public sealed record SqliteVaultOptions
{
    /// <summary>Directory holding <c>vault.db</c>. Required; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>File with the base64 master key; when set, the environment is not consulted.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Environment variable with the base64 master key, used when <see cref="KeyFile"/> is null.</summary>
    public string KeyEnvironmentVariable { get; init; } = VaultKeySource.DefaultEnvironmentVariable;

    /// <summary>How long to wait on a lock held by another process. Default 2 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Path of the database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "vault.db");
}
