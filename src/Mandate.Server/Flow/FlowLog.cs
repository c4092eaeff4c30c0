using Microsoft.Extensions.Logging;

namespace Mandate.Server.Flow;

/// <summary>Log messages of the decision flow (event ids 2001-2099, as before the flow was one).</summary>
internal static partial class FlowLog
{
    [LoggerMessage(2001, LogLevel.Error, "audit record could not be made durable for decision {DecisionId}: {Error}")]
    public static partial void AuditFailed(ILogger logger, string decisionId, string error);

    [LoggerMessage(2002, LogLevel.Error, "decision {DecisionId} ({Front}) failed with an exception; denied")]
    public static partial void DecisionFailed(ILogger logger, Exception exception, string decisionId, string front);

    [LoggerMessage(2007, LogLevel.Warning, "the shadow policy set failed on decision {DecisionId}; counted as a shadow deny")]
    public static partial void ShadowFailed(ILogger logger, Exception exception, string decisionId);

    [LoggerMessage(2008, LogLevel.Warning, "the shadow queue is full; {Dropped} calls were not shadowed so far")]
    public static partial void ShadowDropped(ILogger logger, long dropped);

    [LoggerMessage(2006, LogLevel.Warning, "list item check failed for {DecisionId}; the item is hidden")]
    public static partial void ListItemCheckFailed(ILogger logger, Exception exception, string decisionId);
}
