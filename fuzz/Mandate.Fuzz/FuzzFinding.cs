namespace Mandate.Fuzz;

/// <summary>An input broke an invariant of a target's result (not an exception of the product itself).</summary>
/// <param name="invariant">The invariant that failed, in words.</param>
public sealed class FuzzFinding(string invariant) : Exception($"invariant broken: {invariant}");
