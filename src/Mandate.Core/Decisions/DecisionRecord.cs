namespace Mandate.Core.Decisions;

/// <summary>
/// The audit record of one decision, written (durably) before anything is forwarded. Also written for
/// requests refused before a policy was consulted (bad path, no identity, no route), with
/// <see cref="Code"/> naming the refusal.
/// </summary>
/// <param name="DecisionId">Unique id, also returned to the caller.</param>
/// <param name="Time">Decision time (UTC).</param>
/// <param name="Outcome">Allow or deny.</param>
/// <param name="Code">Stable code: <c>policy.allow</c>, <c>policy.deny</c>, or the refusal code (<c>path.encoded_slash</c>, <c>identity.invalid_token</c>, <c>route.not_found</c>, …).</param>
/// <param name="Caller">The verified caller, null when identification failed or was not reached.</param>
/// <param name="Action">The Cedar action, when classified.</param>
/// <param name="Resource">The resource entity, when classified.</param>
/// <param name="Request">Request facts (the path is the canonical path, or the raw target when it was refused).</param>
/// <param name="Policies">Determining policy ids.</param>
/// <param name="Errors">Policy evaluation errors and failures.</param>
/// <param name="PolicyVersion">The version of the policy snapshot that decided, when one did.</param>
/// <param name="Upstream">The upstream the request is routed to, when classified.</param>
public sealed record DecisionRecord(
    string DecisionId,
    DateTimeOffset Time,
    DecisionOutcome Outcome,
    string Code,
    CallerIdentity? Caller,
    EntityRef? Action,
    EntityRef? Resource,
    RequestFacts Request,
    IReadOnlyList<string> Policies,
    IReadOnlyList<string> Errors,
    string? PolicyVersion,
    string? Upstream)
{
    /// <summary>The front the call came through (<c>http</c>, <c>mcp</c>, <c>oauth</c>, …); empty when unknown.</summary>
    public string Front { get; init; } = "";

    /// <summary>The principal decided on when it is not the caller's agent (a decision API's subject); null otherwise.</summary>
    public EntityRef? Principal { get; init; }

    /// <summary>The connection (<c>address:port id</c>) for a request the HTTP server refused before any step ran; null otherwise.</summary>
    public string? Connection { get; init; }

    /// <summary>The <c>@reason</c> texts of the determining policies, or the refusal's message: what the caller was told.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The approval a step-up opened, or the approval an allowed call used; null when none.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>The W3C trace id of the request's trace (32 hex digits) while tracing is on; null otherwise.</summary>
    public string? TraceId { get; init; }

    /// <summary>What the record must survive before the call is acted on: the route's or tool's class (or the
    /// configured default).</summary>
    public Audit.AuditDurability Durability { get; init; }
}
