namespace Mandate.Server.Forwarding;

/// <summary>How <see cref="VaultSecretCache"/> keeps its copies current. Not part of <c>mandate.yaml</c>: set in code
/// (<c>MandateServerOptions.VaultSecrets</c>).</summary>
public sealed record VaultSecretCacheOptions
{
    /// <summary>Default of <see cref="RefreshInterval"/>: 2 seconds.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>Default of <see cref="MaxStaleness"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultMaxStaleness = TimeSpan.FromMinutes(5);

    /// <summary>How often the background check reads the vault's change marker; a rotated or deleted secret takes
    /// effect within about this long. Each check opens the store and reads one row; secrets are decrypted again only
    /// when the marker moved. Default <see cref="DefaultRefreshInterval"/>.</summary>
    public TimeSpan RefreshInterval { get; init; } = DefaultRefreshInterval;

    /// <summary>How long copies keep serving while the store cannot be read (measured from the start of the last
    /// check that read it whole); after that every lookup fails closed with <c>vault.stale</c> until a check succeeds.
    /// Default <see cref="DefaultMaxStaleness"/>.</summary>
    public TimeSpan MaxStaleness { get; init; } = DefaultMaxStaleness;
}
