using Mandate.Server.Forwarding;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Hosting;

/// <summary>How the host runs (not part of mandate.yaml: these are process concerns).</summary>
public sealed record MandateServerOptions
{
    /// <summary>Configures logging of both planes; default: no providers.</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }

    /// <summary>Quiet period after a file event before reloading.</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Watch policy, schema, entities and config files for changes.</summary>
    public bool WatchFiles { get; init; } = true;

    /// <summary>How the gateway's in-memory copies of vaulted credentials are kept current (check interval, staleness
    /// bound); used by <see cref="MandateGateway"/>.</summary>
    public VaultSecretCacheOptions VaultSecrets { get; init; } = new();
}
