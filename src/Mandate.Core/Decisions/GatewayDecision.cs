namespace Mandate.Core.Decisions;

/// <summary>
/// The answer of the decision point, as data. Deny is the default: only <see cref="Allow"/> forwards.
/// </summary>
public sealed record GatewayDecision
{
    private GatewayDecision(DecisionOutcome outcome, IReadOnlyList<PolicyCitation> policies, IReadOnlyList<string> errors)
    {
        Outcome = outcome;
        Policies = policies;
        Errors = errors;
    }

    /// <summary>Allow or deny.</summary>
    public DecisionOutcome Outcome { get; }

    /// <summary>The determining policies (the permits for an allow, the forbids, if any, for a deny).</summary>
    public IReadOnlyList<PolicyCitation> Policies { get; }

    /// <summary>Evaluation errors of individual policies (they never allow), for the audit record.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>True only for an explicit allow.</summary>
    public bool IsAllowed => Outcome == DecisionOutcome.Allow;

    /// <summary>An allow determined by the given permit policies.</summary>
    public static GatewayDecision Allow(IReadOnlyList<PolicyCitation> policies, IReadOnlyList<string> errors) =>
        new(DecisionOutcome.Allow, policies, errors);

    /// <summary>A deny; <paramref name="policies"/> is empty for a default deny.</summary>
    public static GatewayDecision Deny(IReadOnlyList<PolicyCitation> policies, IReadOnlyList<string> errors) =>
        new(DecisionOutcome.Deny, policies, errors);

    /// <summary>A deny caused by a failure of the decision machinery itself (fail closed).</summary>
    public static GatewayDecision Failure(string error) => new(DecisionOutcome.Deny, [], [error]);
}
