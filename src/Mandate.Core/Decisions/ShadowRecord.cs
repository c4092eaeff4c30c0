namespace Mandate.Core.Decisions;

/// <summary>
/// The audit record of a call the shadow (candidate) policy set would have answered differently from the live set.
/// The live answer is the one the caller got; this records what would have changed.
/// </summary>
/// <param name="DecisionId">The live decision's id (its decision record has the full call).</param>
/// <param name="Time">When the live decision was made (UTC).</param>
/// <param name="Front">The front the call came through.</param>
/// <param name="Caller">The caller.</param>
/// <param name="Action">The action decided.</param>
/// <param name="Resource">The resource decided.</param>
/// <param name="LiveAllowed">Whether the live set allowed it.</param>
/// <param name="LivePolicies">The live set's determining policies.</param>
/// <param name="ShadowAllowed">Whether the shadow set would have allowed it.</param>
/// <param name="ShadowPolicies">The shadow set's determining policies.</param>
/// <param name="ShadowVersion">The shadow set's version.</param>
public sealed record ShadowRecord(
    string DecisionId,
    DateTimeOffset Time,
    string Front,
    CallerIdentity Caller,
    EntityRef Action,
    EntityRef Resource,
    bool LiveAllowed,
    IReadOnlyList<string> LivePolicies,
    bool ShadowAllowed,
    IReadOnlyList<string> ShadowPolicies,
    string ShadowVersion);
