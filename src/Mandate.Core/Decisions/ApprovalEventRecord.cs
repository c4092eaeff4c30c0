namespace Mandate.Core.Decisions;

/// <summary>The audit record of one step in an approval's life: requested, notified, approved or denied, consumed, expired.</summary>
/// <param name="Kind">The record kind (<c>approval_requested</c>, <c>approval_notified</c>, <c>approval_decided</c>, <c>approval_consumed</c>, <c>approval_expired</c>).</param>
/// <param name="Time">When it happened.</param>
/// <param name="ApprovalId">The approval.</param>
/// <param name="DecisionId">The decision it belongs to (the step-up, or the call that consumed it).</param>
/// <param name="Agent">The agent whose call it is.</param>
/// <param name="User">The user the agent acts for, if any.</param>
/// <param name="SessionId">The task session, if any.</param>
/// <param name="Action">The call's action.</param>
/// <param name="Resource">The call's resource.</param>
/// <param name="Status">The approval's status after this step.</param>
public sealed record ApprovalEventRecord(
    string Kind,
    DateTimeOffset Time,
    string ApprovalId,
    string DecisionId,
    string Agent,
    string? User,
    string? SessionId,
    string Action,
    string Resource,
    string Status)
{
    /// <summary>Further facts of the step (who decided, the comment, the webhook's answer).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}
