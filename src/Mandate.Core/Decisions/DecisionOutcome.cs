namespace Mandate.Core.Decisions;

/// <summary>What the gateway does with a request.</summary>
public enum DecisionOutcome
{
    /// <summary>Forward the request.</summary>
    Allow,

    /// <summary>Refuse the request (the default for anything that is not an explicit allow).</summary>
    Deny,
}
