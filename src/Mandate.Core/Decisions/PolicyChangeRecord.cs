namespace Mandate.Core.Decisions;

/// <summary>The audit record of a policy snapshot being loaded or refused.</summary>
/// <param name="Time">When (UTC).</param>
/// <param name="Kind"><c>policy_loaded</c>, <c>policy_refused</c> or <c>policy_promoted</c>.</param>
/// <param name="Version">The version loaded, or the version that keeps serving after a refusal.</param>
/// <param name="PolicyIds">Policy ids of the loaded set (empty for a refusal).</param>
/// <param name="Problems">Why a set was refused (empty when loaded).</param>
public sealed record PolicyChangeRecord(
    DateTimeOffset Time,
    string Kind,
    string? Version,
    IReadOnlyList<string> PolicyIds,
    IReadOnlyList<string> Problems);
