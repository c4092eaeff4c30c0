namespace Mandate.Core.Decisions;

/// <summary>
/// The Cedar context of one decision. <c>session</c>, <c>approval</c> and <c>risk</c> are reserved:
/// later issues (task tokens, approvals, risk) add them as new members; until then they are absent
/// from the Cedar record, so a policy that reads them without <c>has</c> errors, and an erroring
/// permit never allows (fail closed).
/// </summary>
/// <param name="Request">Request facts.</param>
/// <param name="Token">Credential facts.</param>
/// <param name="Delegation">Delegation facts.</param>
/// <param name="Now">Decision time (UTC); exposed to Cedar as <c>now</c> (a datetime string and epoch seconds).</param>
public sealed record DecisionContext(RequestFacts Request, TokenFacts Token, DelegationFacts Delegation, DateTimeOffset Now);
