namespace Mandate.Core.Audit;

/// <summary>
/// One fact handed to the audit log: a decision, an outcome, a policy reload, a configuration change.
/// Immutable; the log assigns the sequence number and the hashes. Later fields (approval, risk) go into
/// <see cref="Details"/> until they earn a member of their own; new members must be nullable so older
/// records still parse.
/// </summary>
public sealed record AuditEvent
{
    /// <summary>Well-known <see cref="Kind"/> values. Any other string is allowed.</summary>
    public static class Kinds
    {
        /// <summary>A policy decision (allow, deny, error).</summary>
        public const string Decision = "decision";
        /// <summary>The upstream outcome of a forwarded request.</summary>
        public const string Outcome = "outcome";
        /// <summary>A policy set was loaded and activated.</summary>
        public const string PolicyReload = "policy_reload";
        /// <summary>A policy set was refused (did not parse or validate); the old one stays active.</summary>
        public const string PolicyRefused = "policy_refused";
        /// <summary>The shadow (candidate) policy set would have answered a call differently from the live set.</summary>
        public const string ShadowDisagreement = "shadow_disagreement";

        /// <summary>The shadow (candidate) policy set was promoted to the live set.</summary>
        public const string PolicyPromoted = "policy_promoted";

        /// <summary>A configuration change.</summary>
        public const string Config = "config";
        /// <summary>A step-up opened an approval request.</summary>
        public const string ApprovalRequested = "approval_requested";
        /// <summary>An approval request was announced to the webhook.</summary>
        public const string ApprovalNotified = "approval_notified";
        /// <summary>A person approved or denied an approval request.</summary>
        public const string ApprovalDecided = "approval_decided";
        /// <summary>An approved request was used by the call it was granted for.</summary>
        public const string ApprovalConsumed = "approval_consumed";
        /// <summary>An approval request expired undecided or unused.</summary>
        public const string ApprovalExpired = "approval_expired";
        /// <summary>The log is written again after appends had failed (written by the readiness check).</summary>
        public const string AuditResumed = "audit_resumed";
    }

    /// <summary>What the record is about (see <see cref="Kinds"/>). Required.</summary>
    public required string Kind { get; init; }

    /// <summary>Id of the decision this record belongs to (ULID-like or Guid v7 text); an outcome repeats its decision's id.</summary>
    public string DecisionId { get; init; } = "";

    /// <summary>When it happened (UTC). Stored with microsecond precision.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>The node (host/instance) that produced the record.</summary>
    public string Node { get; init; } = "";

    /// <summary>W3C trace id, empty if none.</summary>
    public string TraceId { get; init; } = "";

    /// <summary>Session (task token <c>sid</c>) if any.</summary>
    public string? SessionId { get; init; }

    /// <summary>The calling agent (principal) if known.</summary>
    public string? Agent { get; init; }

    /// <summary>The delegating user if any.</summary>
    public string? User { get; init; }

    /// <summary>Delegation chain, outermost actor first.</summary>
    public IReadOnlyList<string> Chain { get; init; } = [];

    /// <summary>The classified action (Cedar entity uid text).</summary>
    public string? Action { get; init; }

    /// <summary>The classified resource (Cedar entity uid text).</summary>
    public string? Resource { get; init; }

    /// <summary>Digest of the request, e.g. <c>sha256:…</c> over method, path and body hash.</summary>
    public string? RequestDigest { get; init; }

    /// <summary><c>allow</c>, <c>deny</c> or <c>error</c> for decisions; null otherwise.</summary>
    public string? Decision { get; init; }

    /// <summary>Ids of the determining policies.</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>Evaluation or processing errors.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Reasons shown to the caller (from <c>@reason</c> annotations).</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>HTTP status returned (outcome records), if any.</summary>
    public int? Status { get; init; }

    /// <summary>Response size in bytes, if known.</summary>
    public long? Bytes { get; init; }

    /// <summary>Latency in microseconds, if measured.</summary>
    public long? LatencyMicros { get; init; }

    /// <summary>Anything else (approval id, risk score, …). Keys are sorted when stored.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}
