namespace Mandate.Core.Vault;

/// <summary>
/// Static credentials for legacy upstream APIs, encrypted at rest. Attach a secret only after an Allow, and never show
/// it to the agent. Every operation returns an error value (never throws for store or key problems).
/// </summary>
public interface ISecretVault
{
    /// <summary>Stores <paramref name="plaintext"/> (UTF-8) under <paramref name="name"/>; true when created, false when replaced.</summary>
    Task<VaultResult<bool>> SetAsync(string name, string plaintext, CancellationToken ct = default);

    /// <summary>Stores raw bytes under <paramref name="name"/>; true when created, false when replaced.</summary>
    Task<VaultResult<bool>> SetAsync(string name, ReadOnlyMemory<byte> plaintext, CancellationToken ct = default);

    /// <summary>Decrypts the secret (with its <see cref="VaultSecret.Version"/>); <see cref="VaultErrorCodes.NotFound"/>
    /// when there is none.</summary>
    Task<VaultResult<VaultSecret>> GetAsync(string name, CancellationToken ct = default);

    /// <summary>Names of all secrets, sorted.</summary>
    Task<VaultResult<IReadOnlyList<string>>> ListAsync(CancellationToken ct = default);

    /// <summary>Removes the secret; true when it existed.</summary>
    Task<VaultResult<bool>> DeleteAsync(string name, CancellationToken ct = default);

    /// <summary>
    /// The store's change marker: it moves whenever any secret is set or deleted, also by another process (the
    /// <c>mandate vault</c> command while the gateway runs). Decrypts nothing; cheap enough to poll every few seconds.
    /// </summary>
    Task<VaultResult<VaultChangeMarker>> GetChangeMarkerAsync(CancellationToken ct = default);
}
