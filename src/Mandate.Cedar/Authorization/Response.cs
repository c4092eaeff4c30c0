using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Authorization;

/// <summary>
/// The answer to a request, as data: the decision, the policies that determined it (the
/// satisfied forbids when denied by a forbid, else the satisfied permits; empty for a default
/// deny), and the policies that failed to evaluate.
/// </summary>
public sealed class Response
{
    private static readonly Policy[] NoPolicies = [];
    private static readonly AuthorizationError[] NoErrors = [];
    private string[]? _reasons;

    internal Response(Decision decision, Policy[]? determining, AuthorizationError[]? errors)
    {
        Decision = decision;
        DeterminingPolicies = determining ?? NoPolicies;
        Errors = errors ?? NoErrors;
    }

    /// <summary>Allow or Deny.</summary>
    public Decision Decision { get; }

    /// <summary>Whether the decision is Allow.</summary>
    public bool IsAllowed => Decision == Decision.Allow;

    /// <summary>
    /// The determining policies, in policy-set order. Read their annotations for Mandate's
    /// <c>@id</c>, <c>@reason</c>, <c>@step_up</c>.
    /// </summary>
    public IReadOnlyList<Policy> DeterminingPolicies { get; }

    /// <summary>The ids of <see cref="DeterminingPolicies"/>.</summary>
    public IReadOnlyList<string> Reasons => _reasons ??= [.. DeterminingPolicies.Select(p => p.Id)];

    /// <summary>Policies that failed to evaluate, in policy-set order.</summary>
    public IReadOnlyList<AuthorizationError> Errors { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Decision} reasons=[{string.Join(", ", Reasons)}] errors=[{string.Join("; ", Errors)}]";
}
