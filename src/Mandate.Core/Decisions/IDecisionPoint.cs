namespace Mandate.Core.Decisions;

/// <summary>
/// A compiled, immutable policy set that answers decision requests. Implementations must be
/// thread-safe and must not throw for a deny; an exception is treated as a failure (deny) by the caller.
/// </summary>
public interface IDecisionPoint
{
    /// <summary>The ids of the policies in this set, in a stable order.</summary>
    IReadOnlyList<string> PolicyIds { get; }

    /// <summary>Decides one request.</summary>
    GatewayDecision Decide(DecisionRequest request);
}
