namespace Mandate.Core.Errors;

/// <summary>
/// Step-up approval and session state: a call a person must approve first, approvals that do not apply to a call,
/// the control plane's approval decisions, and the session store.
/// </summary>
public static partial class ErrorCatalogue
{
    private const string Conflict = "conflict";

    /// <summary>Every policy that denied the call asks for a person's approval: an approval request was opened (its id, status URL and link are in the answer).</summary>
    public static readonly ErrorCode ApprovalRequired = new("approval.required", 403, Forbidden, Refused);
    /// <summary>The presented approval does not exist.</summary>
    public static readonly ErrorCode ApprovalUnknown = new("approval.unknown", 403, Forbidden, Refused);
    /// <summary>The presented approval is still waiting for a person.</summary>
    public static readonly ErrorCode ApprovalPending = new("approval.pending", 403, Forbidden, Refused);
    /// <summary>A person denied the presented approval.</summary>
    public static readonly ErrorCode ApprovalDenied = new("approval.denied", 403, Forbidden, Refused);
    /// <summary>The presented approval was used already; an approval lets one call through.</summary>
    public static readonly ErrorCode ApprovalConsumed = new("approval.consumed", 403, Forbidden, Refused);
    /// <summary>The presented approval expired.</summary>
    public static readonly ErrorCode ApprovalExpired = new("approval.expired", 403, Forbidden, Refused);
    /// <summary>The presented approval was granted for another call (an argument, the resource, the agent, the session, the front or the policy version differ).</summary>
    public static readonly ErrorCode ApprovalMismatch = new("approval.mismatch", 403, Forbidden, Refused);
    /// <summary>Another call is using the presented approval at this moment.</summary>
    public static readonly ErrorCode ApprovalInUse = new("approval.in_use", 403, Forbidden, Refused);
    /// <summary>The call forwards a body Mandate does not read (the route has no <c>args: json</c>), so no approval can be bound to it.</summary>
    public static readonly ErrorCode ApprovalBodyUnbound = new("approval.body_unbound", 403, Forbidden, Refused);
    /// <summary>The approval could not be stored or used (its store failed); nothing was forwarded.</summary>
    public static readonly ErrorCode ApprovalUnavailable = new("approval.unavailable", 503, Unavailable, InternalError);
    /// <summary>Control plane: no approval has this id.</summary>
    public static readonly ErrorCode ApprovalNotFound = new("approval.not_found", 404, NotFound);
    /// <summary>Control plane: the approval was decided, used or expired already.</summary>
    public static readonly ErrorCode ApprovalNotPending = new("approval.not_pending", 409, Conflict);
    /// <summary>Control plane: the approver is the agent, the user or an actor of the request (and `approvals.allowSelfApproval` is off).</summary>
    public static readonly ErrorCode ApprovalSelf = new("approval.self", 403, Forbidden);
    /// <summary>Control plane: the caller has no approver role.</summary>
    public static readonly ErrorCode ApprovalNotApprover = new("approval.not_approver", 403, Forbidden);

    /// <summary>The session's state could not be stored; the call was not forwarded.</summary>
    public static readonly ErrorCode SessionUnavailable = new("session.unavailable", 503, Unavailable, InternalError);
}
