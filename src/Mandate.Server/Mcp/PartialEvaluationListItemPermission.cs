using Mandate.Core.Decisions;

namespace Mandate.Server.Mcp;

/// <summary>
/// "Could be permitted" = <see cref="IDecisionPoint.CouldAllow"/>: Cedar partial evaluation with
/// <c>context.args</c> unknown. An item stays listed when some arguments would make the call allowed
/// (a forbid that holds whatever the arguments are hides it; a permit that needs particular arguments keeps it).
/// </summary>
public sealed class PartialEvaluationListItemPermission : IListItemPermission
{
    /// <inheritdoc />
    public bool CouldUse(IDecisionPoint decisionPoint, DecisionRequest request) => decisionPoint.CouldAllow(request);
}
