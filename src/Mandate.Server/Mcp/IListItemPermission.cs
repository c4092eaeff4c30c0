using Mandate.Core.Decisions;

namespace Mandate.Server.Mcp;

/// <summary>
/// Whether a list item (a tool, prompt or resource in a <c>*/list</c> answer) stays in the answer: whether
/// the caller could be permitted to use it. One method so the meaning of "could" can be swapped in one place.
/// </summary>
public interface IListItemPermission
{
    /// <summary>
    /// True when <paramref name="request"/> (the item's use: real principal and context, no arguments) could be
    /// allowed by <paramref name="decisionPoint"/>. Must not throw for a no; an exception hides the item.
    /// </summary>
    bool CouldUse(IDecisionPoint decisionPoint, DecisionRequest request);
}
