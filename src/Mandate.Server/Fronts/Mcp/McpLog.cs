using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>Log messages of the MCP front (event ids 4001-4099).</summary>
internal static partial class McpLog
{
    [LoggerMessage(4001, LogLevel.Warning, "forwarding {DecisionId} to mcp server {Server} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string decisionId, string server, string error);

    [LoggerMessage(4002, LogLevel.Error, "mcp decision {DecisionId} failed with an exception; denied")]
    public static partial void DecisionFailed(ILogger logger, Exception exception, string decisionId);

    [LoggerMessage(4003, LogLevel.Error, "audit record for mcp decision {DecisionId} is not durable: {Error}")]
    public static partial void AuditFailed(ILogger logger, string decisionId, string error);

    [LoggerMessage(4004, LogLevel.Warning, "list item check failed for {DecisionId}; the item is hidden")]
    public static partial void ListItemCheckFailed(ILogger logger, Exception exception, string decisionId);

    [LoggerMessage(4005, LogLevel.Warning, "tool pin store unavailable for {Server}/{Tool}: {Error}")]
    public static partial void PinStoreUnavailable(ILogger logger, string server, string tool, string error);

    [LoggerMessage(4006, LogLevel.Warning, "mcp server {Server} issued session id already bound to another agent; refused")]
    public static partial void SessionConflict(ILogger logger, string server);
}
