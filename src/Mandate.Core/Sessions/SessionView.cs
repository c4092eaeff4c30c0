namespace Mandate.Core.Sessions;

/// <summary>
/// A session as a decision sees it, before the call being decided: allowed calls and writes so far, the tools used,
/// the labels the session's delegation tree has seen, and the agent's allowed calls in the last minute.
/// </summary>
/// <param name="Calls">Allowed calls of the session so far.</param>
/// <param name="Writes">Allowed writes of the session so far.</param>
/// <param name="ToolsUsed">Tools the session's allowed calls used.</param>
/// <param name="LabelsSeen">Labels of the data the session, its ancestors and descendants were given.</param>
/// <param name="AgentCallsLastMinute">Allowed calls of the agent in the last 60 seconds, on this node.</param>
public sealed record SessionView(
    long Calls,
    long Writes,
    IReadOnlyList<string> ToolsUsed,
    IReadOnlyList<string> LabelsSeen,
    long AgentCallsLastMinute)
{
    /// <summary>A session with nothing counted yet.</summary>
    public static SessionView Empty(long agentCallsLastMinute) => new(0, 0, [], [], agentCallsLastMinute);
}
