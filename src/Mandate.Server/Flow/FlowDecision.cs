using Mandate.Core.Approvals;
using Mandate.Core.Sessions;

namespace Mandate.Server.Flow;

/// <summary>
/// A decided call before it is recorded: the verdict, and what the decision holds until the record settles it —
/// the session units the call took and the approval it is using. <see cref="DecisionFlow.RecordAsync(FlowRequest, CallSubject, FlowDecision, string)"/>
/// keeps them for an allowed, recorded call and gives them back otherwise.
/// </summary>
public sealed class FlowDecision
{
    /// <summary>Creates a decision.</summary>
    public FlowDecision(Verdict verdict, SessionCharge? charge = null, ApprovalClaim? claim = null)
    {
        Verdict = verdict;
        Charge = charge;
        Claim = claim;
    }

    /// <summary>The verdict (before recording).</summary>
    public Verdict Verdict { get; }

    /// <summary>The session units the call reserved, if the ledger counted it.</summary>
    public SessionCharge? Charge { get; }

    /// <summary>The approval the call is using, if any.</summary>
    public ApprovalClaim? Claim { get; }

    /// <summary>A decision that holds nothing (a refusal, or a message forwarded without a decision).</summary>
    public static FlowDecision Of(Verdict verdict) => new(verdict);
}
