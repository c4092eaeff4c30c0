using Microsoft.Extensions.Logging;

namespace Mandate.Server.Snapshots;

/// <summary>Log messages of loading and reloading the snapshot (event ids 1001-1099 and 3001).</summary>
internal static partial class SnapshotLog
{
    [LoggerMessage(1001, LogLevel.Information, "policy snapshot {Version} loaded ({PolicyCount} policies, {RouteCount} routes), reason: {Reason}")]
    public static partial void SnapshotLoaded(ILogger logger, string version, int policyCount, int routeCount, string reason);

    [LoggerMessage(1002, LogLevel.Error, "policy snapshot refused, {Version} keeps serving (reason: {Reason}): {Problems}")]
    public static partial void SnapshotRefused(ILogger logger, string version, string reason, string problems);

    [LoggerMessage(1003, LogLevel.Warning, "configuration change to {Section} needs a restart; the running value is kept")]
    public static partial void RestartRequired(ILogger logger, string section);

    [LoggerMessage(3001, LogLevel.Warning, "file watcher error; reloads on change may be missed until restart")]
    public static partial void WatcherError(ILogger logger, Exception exception);
}
