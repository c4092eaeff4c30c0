namespace Mandate.Core.Tokens;

/// <summary>What the exchange's <c>subject_token</c> was.</summary>
public enum ExchangeSubjectKind
{
    /// <summary>No subject token: the agent acts for itself; a root task token.</summary>
    None,

    /// <summary>A user's token from a trusted issuer: the agent acts for that user; a root task token.</summary>
    User,

    /// <summary>A parent task token: delegation; a child task token narrower than its parent.</summary>
    ParentTaskToken,
}
