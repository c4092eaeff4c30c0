namespace Mandate.Core.Decisions;

/// <summary>Result of compiling policy inputs: a decision point, or every problem found.</summary>
public sealed record PolicyCompilation
{
    private PolicyCompilation(IDecisionPoint? point, IReadOnlyList<PolicyProblem> problems)
    {
        DecisionPoint = point;
        Problems = problems;
    }

    /// <summary>The compiled set, when there were no problems.</summary>
    public IDecisionPoint? DecisionPoint { get; }

    /// <summary>The set with its <c>@shadow</c> policies too, decided beside the live one; null when none is marked.</summary>
    public IDecisionPoint? Shadow { get; init; }

    /// <summary>All problems; empty on success.</summary>
    public IReadOnlyList<PolicyProblem> Problems { get; }

    /// <summary>True when a decision point was produced.</summary>
    public bool Succeeded => DecisionPoint is not null;

    /// <summary>A successful compilation.</summary>
    public static PolicyCompilation Success(IDecisionPoint point) => new(point, []);

    /// <summary>A failed compilation; <paramref name="problems"/> must not be empty.</summary>
    public static PolicyCompilation Failure(IReadOnlyList<PolicyProblem> problems) =>
        problems.Count == 0 ? throw new ArgumentException("a failure needs at least one problem", nameof(problems)) : new(null, problems);
}
