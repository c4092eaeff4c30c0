namespace Mandate.Cedar.Authorization;

/// <summary>The outcome of an authorization request.</summary>
public enum Decision
{
    /// <summary>Denied: no permit was satisfied, or a forbid was.</summary>
    Deny,
    /// <summary>Allowed: some permit was satisfied and no forbid was.</summary>
    Allow,
}
