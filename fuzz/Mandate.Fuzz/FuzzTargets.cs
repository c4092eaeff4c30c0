using Mandate.Fuzz.Targets;

namespace Mandate.Fuzz;

/// <summary>Every fuzz target, by name.</summary>
public static class FuzzTargets
{
    /// <summary>The targets, in the order <c>fuzz/run.sh</c> runs them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new CedarPolicyTarget(),
        new JwsTarget(),
        new CanonicalPathTarget(),
        new JsonRpcTarget(),
        new ConfigLoaderTarget(),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
