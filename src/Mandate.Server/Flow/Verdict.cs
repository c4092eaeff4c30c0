using Mandate.Core.Errors;

namespace Mandate.Server.Flow;

/// <summary>Allow, deny (a policy's, or a refusal by a rule of the flow or the front), or step-up.</summary>
public enum VerdictKind
{
    /// <summary>The call may proceed: forwarded, answered, or its token issued.</summary>
    Allow,

    /// <summary>The call is refused; nothing is forwarded.</summary>
    Deny,

    /// <summary>
    /// The call is refused until a person approves that very call: every policy that denied it asks for approval
    /// (<c>@step_up("approval")</c>). The verdict carries the approval request (<see cref="Verdict.Approval"/>).
    /// </summary>
    StepUp,
}

/// <summary>The approval request a step-up verdict opened: what the caller needs to wait for it and to retry with it.</summary>
/// <param name="Id">The approval id (the retry presents it in <c>Mandate-Approval</c>, or repeats the exact call).</param>
/// <param name="StatusUrl">Where the caller (with its own credential) reads the approval's status.</param>
/// <param name="Link">The link a person opens to decide.</param>
/// <param name="ExpiresAt">When the request, and an approval granted on it, stop being usable.</param>
public sealed record ApprovalTicket(string Id, Uri StatusUrl, Uri Link, DateTimeOffset ExpiresAt);

/// <summary>
/// The answer for one call, as data, the same on every front: a kind, a stable code (<see cref="ErrorCatalogue"/>),
/// the message for the caller, the determining policies and their <c>@reason</c> texts, and evaluation errors for the
/// record. Fronts render it (problem+json, a JSON-RPC error, an OAuth error) and never decide it. Deny is the
/// default: only <see cref="Allow"/> lets anything through.
/// </summary>
public sealed record Verdict
{
    private static readonly IReadOnlyList<string> None = [];

    private Verdict(VerdictKind kind, ErrorCode code, string detail, IReadOnlyList<string> policies, IReadOnlyList<string> reasons, IReadOnlyList<string> errors, ApprovalTicket? approval = null)
    {
        Approval = approval;
        Kind = kind;
        Code = code;
        Detail = detail;
        Policies = policies;
        Reasons = reasons;
        Errors = errors;
    }

    /// <summary>Allow or deny.</summary>
    public VerdictKind Kind { get; }

    /// <summary>The stable code: <c>policy.allow</c>, <c>policy.deny</c>, or the rule that refused.</summary>
    public ErrorCode Code { get; }

    /// <summary>What the caller is told: the reasons of a policy deny, or the refusal's message.</summary>
    public string Detail { get; }

    /// <summary>Determining policy ids (the permits of an allow; the forbids, if any, of a deny).</summary>
    public IReadOnlyList<string> Policies { get; }

    /// <summary>The <c>@reason</c> texts of the determining policies.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>Evaluation errors and refusal details, for the record.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The approval request a step-up opened; null otherwise.</summary>
    public ApprovalTicket? Approval { get; }

    /// <summary>The approval the allowed call used, if one was (for its record).</summary>
    public string? ApprovalUsed { get; init; }

    /// <summary>True only for an allow.</summary>
    public bool IsAllowed => Kind == VerdictKind.Allow;

    /// <summary>An allow with code <paramref name="code"/> (<c>policy.allow</c>, or the code of a call forwarded without a decision).</summary>
    public static Verdict Allow(ErrorCode code, IReadOnlyList<string>? policies = null, IReadOnlyList<string>? errors = null) =>
        new(VerdictKind.Allow, code, "", policies ?? None, None, errors ?? None);

    /// <summary>A policy's deny: the detail is the reasons, or which policies denied, or that none permitted.</summary>
    public static Verdict PolicyDeny(IReadOnlyList<string> policies, IReadOnlyList<string> reasons, IReadOnlyList<string> errors)
    {
        var detail = policies.Count == 0
            ? "no policy permits this request"
            : reasons.Count > 0 ? string.Join("; ", reasons) : $"denied by {string.Join(", ", policies)}";
        return new(VerdictKind.Deny, ErrorCatalogue.PolicyDeny, detail, policies, reasons, errors);
    }

    /// <summary>A policy's deny that a person's approval can lift: the request is <paramref name="ticket"/>.</summary>
    public static Verdict StepUp(ApprovalTicket ticket, IReadOnlyList<string> policies, IReadOnlyList<string> reasons, IReadOnlyList<string> errors)
    {
        var why = reasons.Count > 0 ? string.Join("; ", reasons) : $"denied by {string.Join(", ", policies)}";
        return new(VerdictKind.StepUp, ErrorCatalogue.ApprovalRequired, $"{why}; a person must approve this call (approval {ticket.Id})", policies, reasons, errors, ticket);
    }

    /// <summary>A refusal by a rule (not a policy): its code and message; the message is also the record's error.</summary>
    public static Verdict Refuse(ErrorCode code, string detail, IReadOnlyList<string>? errors = null) =>
        new(VerdictKind.Deny, code, detail, None, None, errors ?? [detail]);

}
