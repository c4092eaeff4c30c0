using Mandate.Server.Configuration;

namespace Mandate.Server.Flow.Decide;

/// <summary>
/// The delegation depth rule, read from the running configuration (so a reload that lowers <c>tokens.maxDepth</c>
/// holds for tokens already issued, and for exchanges): depth 0 is a task opened by an agent for itself or a user,
/// each delegation adds one.
/// </summary>
public static class DelegationDepth
{
    /// <summary>True when a task token at <paramref name="depth"/> is within <c>tokens.maxDepth</c>.</summary>
    public static bool Allows(TokensConfig tokens, int depth) => depth <= tokens.MaxDepth;
}
