namespace Mandate.Core.Approvals;

/// <summary>
/// An approved request held for the one call using it, between its decision and its record: no other call can
/// use it meanwhile. Settled exactly once, by <see cref="ApprovalBook.ConsumeAsync"/> or <see cref="ApprovalBook.Release"/>.
/// </summary>
public sealed class ApprovalClaim
{
    internal ApprovalClaim(ApprovalRequest request) => Request = request;

    /// <summary>The approved request.</summary>
    public ApprovalRequest Request { get; }

    internal int Settled;
}

/// <summary>Why a presented approval does not apply to a call.</summary>
public enum ApprovalRefusal
{
    /// <summary>No approval has this id.</summary>
    Unknown,

    /// <summary>Nobody has decided yet.</summary>
    Pending,

    /// <summary>A person refused it.</summary>
    Denied,

    /// <summary>It was used already.</summary>
    Consumed,

    /// <summary>It expired.</summary>
    Expired,

    /// <summary>It was granted for another call (another argument, resource, agent, session, front or policy version).</summary>
    Mismatch,

    /// <summary>Another call is using it at this moment.</summary>
    InUse,
}
