using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>Log messages of the MCP front (event ids 4001-4099; deciding and recording log under the flow, 2001-2099).</summary>
internal static partial class McpLog
{
    [LoggerMessage(4001, LogLevel.Warning, "forwarding {DecisionId} to mcp server {Server} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string decisionId, string server, string error);

    [LoggerMessage(4005, LogLevel.Warning, "tool pin store unavailable for {Server}/{Tool}: {Error}")]
    public static partial void PinStoreUnavailable(ILogger logger, string server, string tool, string error);

    [LoggerMessage(4006, LogLevel.Warning, "mcp server {Server} issued session id already bound to another agent; refused")]
    public static partial void SessionConflict(ILogger logger, string server);

    [LoggerMessage(4007, LogLevel.Warning, "probing mcp server {Server} for its protocol era failed: {Error}")]
    public static partial void ProbeFailed(ILogger logger, string server, string error);

    [LoggerMessage(4008, LogLevel.Warning, "opening a session with legacy mcp server {Server} for a modern client failed: {Error}")]
    public static partial void BridgeSessionFailed(ILogger logger, string server, string error);

    [LoggerMessage(4009, LogLevel.Warning, "policy {Policy} reads tool arguments of mcp server {Server} that the tool's inputSchema contradicts: {Problem}")]
    public static partial void ArgumentPolicyProblem(ILogger logger, string server, string policy, string problem);
}
