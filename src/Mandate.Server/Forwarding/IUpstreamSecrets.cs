namespace Mandate.Server.Forwarding;

/// <summary>The act step's seam to the vault (<c>Mandate.Core</c> <c>ISecretVault</c>): the static credential of a legacy upstream.</summary>
public interface IUpstreamSecrets
{
    /// <summary>Reads a secret by name. Failures are values; the caller answers 503 and forwards nothing.</summary>
    ValueTask<SecretLookup> GetAsync(string name, CancellationToken cancellationToken);
}
