using Microsoft.Extensions.Logging;

namespace Mandate.Server.Forwarding;

/// <summary>Log messages of the vault secret cache (event ids 6001-6099). Each lasting condition is logged when it
/// starts and when it ends, not at every check.</summary>
internal static partial class VaultSecretsLog
{
    [LoggerMessage(6001, LogLevel.Warning, "vault store cannot be read; the copies confirmed {AgeSeconds} s ago keep serving until {BoundSeconds} s have passed: {Error}")]
    public static partial void StoreUnreadable(ILogger logger, long ageSeconds, long boundSeconds, string error);

    [LoggerMessage(6002, LogLevel.Error, "vault secrets could not be confirmed for {BoundSeconds} s; every vaulted upstream credential fails closed until the store can be read")]
    public static partial void StaleFailingClosed(ILogger logger, long boundSeconds);

    [LoggerMessage(6003, LogLevel.Information, "vault store can be read again; copies are current")]
    public static partial void StoreReadable(ILogger logger);

    [LoggerMessage(6004, LogLevel.Warning, "vault secret `{Name}` is unavailable: {Error}")]
    public static partial void SecretUnavailable(ILogger logger, string name, string error);

    [LoggerMessage(6005, LogLevel.Information, "vault secret `{Name}` loaded, version {Version}")]
    public static partial void SecretLoaded(ILogger logger, string name, long version);

    [LoggerMessage(6006, LogLevel.Error, "vault secret check failed with an exception; the next check retries")]
    public static partial void CheckFailed(ILogger logger, Exception exception);
}
