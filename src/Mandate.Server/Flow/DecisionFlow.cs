using Mandate.Core.Errors;
using Mandate.Server.Flow.Decide;
using Mandate.Server.Flow.Record;

namespace Mandate.Server.Flow;

/// <summary>
/// The one decision flow every front goes through once it has resolved the caller and translated its protocol into
/// a <see cref="FlowCall"/>: build the context, apply the flow's rules and the policies (<see cref="Decider"/>),
/// record (<see cref="DecisionJournal"/>), and answer with a <see cref="Verdict"/>. A rule added here holds on every
/// front at once. INVARIANT: an allow is returned only once its record is durable; otherwise the verdict is
/// <c>audit.unavailable</c> and nothing may be forwarded or issued.
/// </summary>
public sealed class DecisionFlow
{
    private readonly Decider _decider;

    /// <summary>Creates the flow.</summary>
    public DecisionFlow(Decider decider, DecisionJournal journal)
    {
        _decider = decider;
        Journal = journal;
    }

    /// <summary>Where the flow's records go (fronts post outcomes through it).</summary>
    public DecisionJournal Journal { get; }

    /// <summary>Decides <paramref name="call"/> under <paramref name="decisionId"/> without recording (an MCP batch records its messages together).</summary>
    public Verdict Decide(FlowRequest request, FlowCall call, string decisionId) =>
        _decider.Decide(request, call, decisionId, Journal.Time.GetUtcNow());

    /// <summary>Records <paramref name="verdict"/>; an allow whose record is not durable comes back as <c>audit.unavailable</c>.</summary>
    public async ValueTask<Verdict> RecordAsync(FlowRequest request, CallSubject subject, Verdict verdict, string decisionId)
    {
        if (decisionId == request.DecisionId)
        {
            request.Recorded = true;
        }

        var durable = await Journal.RecordAsync(request, decisionId, subject, verdict);
        return verdict.IsAllowed && !durable
            ? Verdict.Refuse(ErrorCatalogue.AuditUnavailable, "the audit log could not record this decision; nothing was forwarded")
            : verdict;
    }

    /// <summary>Decides and records the request's one call under its own decision id.</summary>
    public ValueTask<Verdict> DecideAsync(FlowRequest request, FlowCall call) =>
        RecordAsync(request, call.Subject, Decide(request, call, request.DecisionId), request.DecisionId);

    /// <summary>
    /// Refuses the request before (or instead of) a decision — a bad path, no identity, no route, a bad body — and
    /// records it once (best effort: the answer is a refusal either way).
    /// </summary>
    public async ValueTask<Verdict> RefuseAsync(FlowRequest request, CallSubject subject, ErrorCode code, string detail)
    {
        var verdict = Verdict.Refuse(code, detail);
        if (!request.Recorded)
        {
            request.Recorded = true;
            await Journal.RecordAsync(request, request.DecisionId, subject, verdict);
        }

        return verdict;
    }

    /// <summary>Whether the caller could use <paramref name="call"/> (for filtering lists); never a substitute for <see cref="Decide"/>.</summary>
    public bool CouldAllow(FlowRequest request, FlowCall call) => _decider.CouldAllow(request, call, Journal.Time.GetUtcNow());
}
