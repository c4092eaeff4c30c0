namespace Mandate.Core.Sessions;

/// <summary>What the session rules need to know about one call.</summary>
/// <param name="AgentId">The calling agent (its call rate is counted whatever its credential).</param>
/// <param name="SessionId">The task session the call belongs to (a task token's <c>sid</c>); null for a caller without one.</param>
/// <param name="RootSessionId">The root of the session's delegation tree (itself for a root session): labels are shared by the tree.</param>
/// <param name="Tool">The name the call adds to <c>tools_used</c> (an HTTP route's action id, an MCP item's <c>action:server/name</c>).</param>
/// <param name="Labels">The data labels of the call (its route or tool and its resource), added to <c>labels_seen</c> when it is allowed.</param>
/// <param name="Write">Whether the call counts as a write.</param>
public sealed record SessionCall(string AgentId, string? SessionId, string? RootSessionId, string Tool, IReadOnlyList<string> Labels, bool Write);
