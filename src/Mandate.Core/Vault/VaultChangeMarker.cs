namespace Mandate.Core.Vault;

/// <summary>
/// Where a vault store stands: two markers read at different times are equal only when no secret was set or deleted in
/// between, by this process or any other. Reading one decrypts nothing, so a holder of decrypted secrets can poll it
/// cheaply and re-read secrets only when it moved.
/// </summary>
/// <param name="Store">A random id given to the store when it was created, so that a store deleted and made again never
/// looks unchanged even when its counter has climbed back to the same number.</param>
/// <param name="Generation">Counts the store's writes: each set or delete adds one. A secret's
/// <see cref="VaultSecret.Version"/> is the generation that wrote it.</param>
public readonly record struct VaultChangeMarker(string Store, long Generation);
