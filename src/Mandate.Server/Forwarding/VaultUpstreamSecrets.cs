using Mandate.Core.Vault;

namespace Mandate.Server.Forwarding;

/// <summary>Upstream credentials read from Mandate's vault (<see cref="ISecretVault"/>), decrypted per request.</summary>
public sealed class VaultUpstreamSecrets : IUpstreamSecrets
{
    private readonly ISecretVault _vault;

    /// <summary>Wraps a vault.</summary>
    public VaultUpstreamSecrets(ISecretVault vault) => _vault = vault;

    /// <inheritdoc />
    public async ValueTask<SecretLookup> GetAsync(string name, CancellationToken cancellationToken)
    {
        var result = await _vault.GetAsync(name, cancellationToken);
        if (!result.Ok)
        {
            return SecretLookup.Failed(result.Error!.Code);
        }

        using var secret = result.Value!;
        return SecretLookup.Found(secret.Reveal());
    }
}
