namespace Mandate.Core.Vault;

/// <summary>Why a vault operation failed: a stable <paramref name="Code"/> (see <see cref="VaultErrorCodes"/>) and a message.</summary>
public sealed record VaultError(string Code, string Message);
