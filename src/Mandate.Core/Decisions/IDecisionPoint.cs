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

    /// <summary>
    /// Whether <paramref name="request"/> could be allowed for some value of its arguments
    /// (<c>context.args</c> treated as unknown; any args the request carries are ignored). Sound:
    /// true whenever some arguments would make <see cref="Decide"/> allow. Used to filter lists
    /// (MCP <c>tools/list</c>) to what the caller could use; never a substitute for <see cref="Decide"/>.
    /// </summary>
    bool CouldAllow(DecisionRequest request);

    /// <summary>
    /// The entities a search must decide, in a stable order: every entity the store knows that could be allowed in the
    /// open position (sound), narrowed by the policies' scopes so that a search need not decide every entity of the
    /// type. Each candidate must still be decided with <see cref="Decide"/>.
    /// </summary>
    IReadOnlyList<EntityRef> SearchCandidates(SearchQuery query);
}
