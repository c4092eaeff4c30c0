using System.Collections.Immutable;

namespace Mandate.Cedar.Validation;

/// <summary>The outcome of validating a policy set: every error, per policy.</summary>
public sealed class ValidationResult
{
    internal ValidationResult(ImmutableArray<ValidationError> errors, ImmutableArray<ValidationWarning> warnings)
    {
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>Every error, grouped by policy in policy-set order.</summary>
    public ImmutableArray<ValidationError> Errors { get; }

    /// <summary>Findings that do not make a policy invalid (a policy that can never apply).</summary>
    public ImmutableArray<ValidationWarning> Warnings { get; }

    /// <summary>Whether no policy has an error (warnings do not count).</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>The errors of one policy.</summary>
    public IEnumerable<ValidationError> ErrorsFor(string policyId) => Errors.Where(e => e.PolicyId == policyId);

    /// <summary>Whether the policy <paramref name="policyId"/> validated.</summary>
    public bool IsPolicyValid(string policyId) => !Errors.Any(e => e.PolicyId == policyId);
}
