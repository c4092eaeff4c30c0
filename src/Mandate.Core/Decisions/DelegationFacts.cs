namespace Mandate.Core.Decisions;

/// <summary>On whose behalf the agent acts (Cedar <c>context.delegation</c>).</summary>
/// <param name="User">The delegating user, or empty string when the agent acts for itself.</param>
/// <param name="Chain">Actors from outermost to innermost.</param>
/// <param name="Depth">Number of actors in the chain.</param>
public sealed record DelegationFacts(string User, IReadOnlyList<string> Chain, long Depth);
