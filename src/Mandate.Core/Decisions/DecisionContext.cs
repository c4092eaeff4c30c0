using System.Text.Json;

namespace Mandate.Core.Decisions;

/// <summary>
/// The Cedar context of one decision. The optional members are absent from the Cedar record when null,
/// so a policy that reads them without <c>has</c> errors, and an erroring permit never allows (fail
/// closed). <c>call</c>, <c>rate</c> and <c>approval</c> are always present; <c>risk</c> is reserved.
/// </summary>
/// <param name="Request">Request facts.</param>
/// <param name="Token">Credential facts.</param>
/// <param name="Delegation">Delegation facts.</param>
/// <param name="Now">Decision time (UTC); exposed to Cedar as <c>now</c> (a datetime string and epoch seconds).</param>
public sealed record DecisionContext(RequestFacts Request, TokenFacts Token, DelegationFacts Delegation, DateTimeOffset Now)
{
    /// <summary>The task session (<c>context.session</c>), when the caller presented a task token.</summary>
    public SessionFacts? Session { get; init; }

    /// <summary>
    /// Arguments the agent sent (<c>context.args</c>): MCP tool arguments or selected JSON body fields.
    /// Agent-supplied, so read literally: <c>__entity</c>/<c>__extn</c> keys are plain record fields.
    /// </summary>
    public JsonElement? Args { get; init; }

    /// <summary>
    /// Selected claims of the verified token (<c>context.claims</c>: strings, Longs, Bools, Set&lt;String&gt;), when the
    /// issuer's configuration names some (<c>claimsToContext</c>); absent claims are absent fields.
    /// </summary>
    public IReadOnlyDictionary<string, ClaimValue>? Claims { get; init; }

    /// <summary>The call's own facts (<c>context.call</c>): its labels and whether it writes.</summary>
    public CallFacts Call { get; init; } = CallFacts.None;

    /// <summary>The agent's allowed calls in the last minute on this node (<c>context.rate.agent_calls_last_minute</c>).</summary>
    public long AgentCallsLastMinute { get; init; }

    /// <summary>The approval of this call (<c>context.approval</c>), <see cref="ApprovalFacts.None"/> when there is none.</summary>
    public ApprovalFacts Approval { get; init; } = ApprovalFacts.None;

    /// <summary>
    /// Further members a front adds from facts Mandate established itself (for example <c>exchange</c> on the
    /// token endpoint). Read in Cedar's JSON value form, escapes included; names must not collide with the
    /// members above.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = EmptyExtra;

    private static readonly IReadOnlyDictionary<string, JsonElement> EmptyExtra = new Dictionary<string, JsonElement>();
}
