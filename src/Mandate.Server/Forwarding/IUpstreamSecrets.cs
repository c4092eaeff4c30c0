using Mandate.Server.Configuration;

namespace Mandate.Server.Forwarding;

/// <summary>The act step's seam to the vault (<c>Mandate.Core</c> <c>ISecretVault</c>): the static credential of a legacy upstream.</summary>
public interface IUpstreamSecrets
{
    /// <summary>The secret by name, from memory: a request never waits for the store. Failures are values; the caller
    /// answers 503 and forwards nothing.</summary>
    ValueTask<SecretLookup> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Loads every secret <paramref name="config"/> names (routes' upstreams and MCP servers) before it serves: called
    /// at start-up and by each reload before the new snapshot is swapped in. Re-reads the ones already held, so a reload
    /// also picks up rotated secrets. Never throws for store problems (they become failed lookups).
    /// </summary>
    Task LoadAsync(MandateConfig config, CancellationToken cancellationToken);
}
