using Microsoft.Extensions.Logging;

namespace Mandate.Server;

/// <summary>Every log message of the server, with its event id kept in one place.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1001, LogLevel.Information, "policy snapshot {Version} loaded ({PolicyCount} policies, {RouteCount} routes), reason: {Reason}")]
    public static partial void SnapshotLoaded(ILogger logger, string version, int policyCount, int routeCount, string reason);

    [LoggerMessage(1002, LogLevel.Error, "policy snapshot refused, {Version} keeps serving (reason: {Reason}): {Problems}")]
    public static partial void SnapshotRefused(ILogger logger, string version, string reason, string problems);

    [LoggerMessage(1003, LogLevel.Warning, "configuration change to {Section} needs a restart; the running value is kept")]
    public static partial void RestartRequired(ILogger logger, string section);

    [LoggerMessage(2001, LogLevel.Error, "audit record could not be made durable for decision {DecisionId}: {Error}")]
    public static partial void AuditFailed(ILogger logger, string decisionId, string error);

    [LoggerMessage(2002, LogLevel.Error, "decision {DecisionId} failed with an exception; denied")]
    public static partial void DecisionFailed(ILogger logger, Exception exception, string decisionId);

    [LoggerMessage(2003, LogLevel.Error, "request {DecisionId} failed with an exception")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string decisionId);

    [LoggerMessage(2004, LogLevel.Warning, "forwarding {DecisionId} to upstream {Upstream} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string decisionId, string upstream, string error);

    [LoggerMessage(2005, LogLevel.Error, "upstream credential `{Secret}` for decision {DecisionId} is unavailable: {Error}")]
    public static partial void CredentialUnavailable(ILogger logger, string secret, string decisionId, string error);

    [LoggerMessage(3001, LogLevel.Warning, "file watcher error; reloads on change may be missed until restart")]
    public static partial void WatcherError(ILogger logger, Exception exception);
}
