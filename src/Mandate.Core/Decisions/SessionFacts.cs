namespace Mandate.Core.Decisions;

/// <summary>
/// The task session the caller's token belongs to (Cedar <c>context.session</c>): present only for
/// Mandate task tokens, absent for workload credentials used directly.
/// </summary>
/// <param name="Id">Session id (the token's <c>sid</c>).</param>
/// <param name="Intent">The task's declared intent, empty when none was declared.</param>
/// <param name="AllowedTools">Tools or actions the task declared (<c>authorization_details.actions</c>).</param>
/// <param name="Resources">Resources the task declared.</param>
/// <param name="InTask">Whether this request's action and resource fall inside the declared task.</param>
/// <param name="Depth">Delegation depth of the session (0 for a task opened directly by an agent).</param>
/// <param name="Parent">The parent session id, empty for a root session.</param>
/// <param name="Started">When the session was opened.</param>
/// <param name="Expires">When the session ends at the latest.</param>
public sealed record SessionFacts(
    string Id,
    string Intent,
    IReadOnlyList<string> AllowedTools,
    IReadOnlyList<string> Resources,
    bool InTask,
    long Depth,
    string Parent,
    DateTimeOffset Started,
    DateTimeOffset Expires)
{
    /// <summary>Tools (an HTTP route's action id, an MCP item's <c>action:server/name</c>) the session's allowed calls used.</summary>
    public IReadOnlyList<string> ToolsUsed { get; init; } = [];

    /// <summary>Allowed calls of the session before this one.</summary>
    public long Calls { get; init; }

    /// <summary>Allowed writes of the session before this one.</summary>
    public long Writes { get; init; }

    /// <summary>Labels of the data the session's delegation tree was given (taint is never shed by delegating).</summary>
    public IReadOnlyList<string> LabelsSeen { get; init; } = [];
}
