using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.Sessions;
using Mandate.Server.Flow.Approve;
using Mandate.Server.Flow.Decide;
using Mandate.Server.Flow.Record;

namespace Mandate.Server.Flow;

/// <summary>
/// The one decision flow every front goes through once it has resolved the caller and translated its protocol into
/// a <see cref="FlowCall"/>: build the context, apply the flow's rules and the policies (<see cref="Decider"/>),
/// record (<see cref="DecisionJournal"/>), and answer with a <see cref="Verdict"/>. A rule added here holds on every
/// front at once. INVARIANT: an allow is returned only once its record is durable, the approval it used consumed and
/// its session units stored; otherwise the verdict is a refusal and nothing may be forwarded or issued.
/// </summary>
public sealed class DecisionFlow
{
    private readonly Decider _decider;
    private readonly SessionLedger? _sessions;

    /// <summary>Creates the flow; <paramref name="sessions"/> and <paramref name="approvals"/> are the decider's.</summary>
    public DecisionFlow(Decider decider, DecisionJournal journal, SessionLedger? sessions = null, ApprovalDesk? approvals = null)
    {
        _decider = decider;
        _sessions = sessions;
        Journal = journal;
        Approvals = approvals;
    }

    /// <summary>Where the flow's records go (fronts post outcomes through it).</summary>
    public DecisionJournal Journal { get; }

    /// <summary>Step-up approvals, when the host runs them.</summary>
    public ApprovalDesk? Approvals { get; }

    /// <summary>Decides <paramref name="call"/> under <paramref name="decisionId"/> without recording (an MCP batch records its messages together).</summary>
    public ValueTask<FlowDecision> DecideAsync(FlowRequest request, FlowCall call, string decisionId) =>
        FlowTelemetry.Observed
            ? DecideObservedAsync(request, call, decisionId)
            : _decider.DecideAsync(request, call, decisionId, Journal.Time.GetUtcNow());

    // The decide step under its span and timing (only while observability is on).
    private async ValueTask<FlowDecision> DecideObservedAsync(FlowRequest request, FlowCall call, string decisionId)
    {
        using var span = Telemetry.MandateTelemetry.StartStep("mandate.decide");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var decision = await _decider.DecideAsync(request, call, decisionId, Journal.Time.GetUtcNow());
        FlowTelemetry.Decided(span, request, call, decision.Verdict, decisionId, started);
        return decision;
    }

    /// <summary>
    /// Settles and records a decision: an allow uses up its approval and stores its session units first (either
    /// failing is a refusal), then its record must be durable (else <c>audit.unavailable</c>); anything else gives
    /// them back and is recorded as it is.
    /// </summary>
    public async ValueTask<Verdict> RecordAsync(FlowRequest request, CallSubject subject, FlowDecision decision, string decisionId)
    {
        var verdict = decision.Verdict;
        if (verdict.IsAllowed)
        {
            if (decision.Claim is { } claim && !await Approvals!.ConsumeAsync(claim, decisionId))
            {
                if (decision.Charge is { } unused)
                {
                    _sessions?.Release(unused);
                }

                verdict = Verdict.Refuse(ErrorCatalogue.ApprovalUnavailable, "the approval could not be used; nothing was forwarded");
            }
            else if (decision.Charge is { } charge && !await _sessions!.CommitAsync(charge, Journal.Time.GetUtcNow()))
            {
                verdict = Verdict.Refuse(ErrorCatalogue.SessionUnavailable, "the session's state could not be stored; nothing was forwarded");
            }
        }
        else
        {
            Settle(decision);
        }

        return await RecordAsync(request, subject, verdict, decisionId);
    }

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
    public async ValueTask<Verdict> DecideAsync(FlowRequest request, FlowCall call)
    {
        var decision = await DecideAsync(request, call, request.DecisionId);
        return await RecordAsync(request, call.Subject, decision, request.DecisionId);
    }

    /// <summary>Gives back what an unrecorded decision holds (a refused MCP batch turns its allowed messages into refusals).</summary>
    public void Settle(FlowDecision decision)
    {
        if (decision.Charge is { } charge)
        {
            _sessions?.Release(charge);
        }

        if (decision.Claim is { } claim)
        {
            Approvals?.Release(claim);
        }
    }

    /// <summary>
    /// Refuses the request before (or instead of) a decision — a bad path, no identity, no route, a bad body — and
    /// records it once (best effort: the answer is a refusal either way).
    /// </summary>
    public async ValueTask<Verdict> RefuseAsync(FlowRequest request, CallSubject subject, ErrorCode code, string detail)
    {
        var verdict = Verdict.Refuse(code, detail);
        if (!request.Recorded)
        {
            FlowTelemetry.Refused(request, verdict);
            request.Recorded = true;
            await Journal.RecordAsync(request, request.DecisionId, subject, verdict);
        }

        return verdict;
    }

    /// <summary>
    /// Answers a search (which subjects, resources or actions would be allowed): the decision point's candidates, each
    /// decided by the rules an evaluation of it would meet (every rule of the flow included, so a subject the caller may
    /// not ask about is never listed) without taking session units or approvals, and one record of the search. <paramref name="template"/> holds the known
    /// positions; the open one is replaced by each candidate. The results come back only once the record is durable.
    /// </summary>
    public async ValueTask<(Verdict Verdict, IReadOnlyList<EntityRef> Results)> SearchAsync(FlowRequest request, FlowCall template, SearchQuery query)
    {
        if (template.Principal is { } subject && request.Caller is { } caller && SubjectScopeRule.Refusal(request, caller, subject.Entity) is { } refused)
        {
            return (await RecordAsync(request, template.Subject, refused, request.DecisionId), []);
        }

        var results = new List<EntityRef>();
        var now = Journal.Time.GetUtcNow();
        Verdict verdict;
        try
        {
            foreach (var candidate in request.Snapshot.DecisionPoint.SearchCandidates(query))
            {
                var call = query.Target switch
                {
                    SearchTarget.Subject => template with { Principal = new ResourceDescriptor(candidate, [], EmptyAttributes) { StoredAttributesWin = true } },
                    SearchTarget.Resource => template with { Resource = template.Resource with { Entity = candidate } },
                    _ => template with { Action = candidate },
                };
                if (_decider.WouldAllow(request, call, now))
                {
                    results.Add(candidate);
                }
            }

            verdict = Verdict.Allow(ErrorCatalogue.AuthZenSearch);
        }
        catch (Exception e)
        {
            results.Clear();
            verdict = Verdict.Refuse(ErrorCatalogue.DecisionFailed, "the search could not be answered", [$"search failed: {e.GetType().Name}"]);
        }

        var asked = new CallSubject(query.Action, query.Resource, null) { Principal = query.Principal };
        var recorded = await RecordAsync(request, asked, verdict, request.DecisionId);
        return (recorded, recorded.IsAllowed ? results : []);
    }

    private static readonly IReadOnlyDictionary<string, System.Text.Json.JsonElement> EmptyAttributes = new Dictionary<string, System.Text.Json.JsonElement>();

    /// <summary>Whether the caller could use <paramref name="call"/> (for filtering lists); never a substitute for deciding.</summary>
    public bool CouldAllow(FlowRequest request, FlowCall call) => _decider.CouldAllow(request, call, Journal.Time.GetUtcNow());
}
