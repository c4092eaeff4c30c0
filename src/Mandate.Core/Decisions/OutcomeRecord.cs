namespace Mandate.Core.Decisions;

/// <summary>The audit record of what happened after an allow: the upstream's answer.</summary>
/// <param name="DecisionId">The decision this outcome follows.</param>
/// <param name="Time">When the response finished (UTC).</param>
/// <param name="Status">Status code returned to the caller (502/504 when the upstream failed).</param>
/// <param name="ResponseBytes">Response body bytes sent to the caller.</param>
/// <param name="UpstreamLatency">Time from forwarding to the end of the upstream response.</param>
/// <param name="Error">Forwarding error code (e.g. <c>upstream.request</c>), null when none.</param>
/// <param name="Caller">Who made the request, repeated from the decision so a session or agent replay finds its
/// outcomes too; null when unknown.</param>
public sealed record OutcomeRecord(
    string DecisionId,
    DateTimeOffset Time,
    int Status,
    long ResponseBytes,
    TimeSpan UpstreamLatency,
    string? Error,
    CallerIdentity? Caller = null);
