using System.Text.Json;
using Mandate.Core.Approvals;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.Sessions;
using Mandate.Server.Configuration;
using Mandate.Server.Flow.Approve;
using Mandate.Server.Flow.Contextualise;
using Mandate.Server.Flow.Shadow;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Flow.Decide;

/// <summary>
/// Decides one call, in order: a call whose place requires DPoP from a caller without a DPoP-bound task token (whose
/// proof the identify step verified) is refused (<c>dpop.required</c>); a task token deeper than <c>tokens.maxDepth</c>
/// is refused (<c>delegation.depth_exceeded</c>); a call about a subject the caller may not ask about is refused
/// (<c>authzen.subject_not_allowed</c>); a call outside its task is refused (<c>session.out_of_task</c>) unless the
/// deployment leaves that to policy; the call reserves its session units (so the context shows the session before it,
/// and a concurrent call sees the reservation) and the approval it presents or repeats; then the snapshot's Cedar
/// policies decide. A deny whose determining policies all carry <c>@step_up("approval")</c> opens an approval request
/// instead (<c>approval.required</c>). When the snapshot has a shadow (candidate) set, the Cedar request and the live
/// answer are handed to the <see cref="ShadowBench"/>, which decides them again off the request path. Fails closed: an exception is a deny (<c>decision.failed</c>), logged.
/// Records nothing: see <see cref="DecisionFlow.RecordAsync(FlowRequest, CallSubject, FlowDecision, string)"/>.
/// </summary>
public sealed class Decider
{
    private readonly ILogger<Decider> _logger;
    private readonly SessionLedger? _sessions;
    private readonly ApprovalDesk? _approvals;
    private readonly ShadowBench? _shadow;

    /// <summary>
    /// Creates the decider; without a ledger there is no session state, without a desk no step-up, without a bench no
    /// shadow policies.
    /// </summary>
    public Decider(ILogger<Decider> logger, SessionLedger? sessions = null, ApprovalDesk? approvals = null, ShadowBench? shadow = null)
    {
        _logger = logger;
        _sessions = sessions;
        _approvals = approvals;
        _shadow = shadow;
    }

    /// <summary>The decision for <paramref name="call"/> by the request's caller at <paramref name="now"/>, under <paramref name="decisionId"/>.</summary>
    public ValueTask<FlowDecision> DecideAsync(FlowRequest request, FlowCall call, string decisionId, DateTimeOffset now)
    {
        SessionCharge? charge = null;
        ApprovalClaim? claim = null;
        try
        {
            var caller = request.Caller ?? throw new InvalidOperationException("the caller is not resolved");
            var tokens = request.Snapshot.Config.Tokens;
            if (call.RequiresDpop && caller.Task?.Jkt is null)
            {
                // A bound token reaches here only with a proof that matched its key, method, URL and token (TaskTokenGate).
                return Refused(ErrorCatalogue.DpopRequired, "this place accepts only a dpop-bound task token presented with a proof");
            }

            if (caller.Task is { } task)
            {
                if (tokens is not null && !DelegationDepth.Allows(tokens, task.Depth))
                {
                    return Refused(ErrorCatalogue.DelegationDepthExceeded, $"delegation depth {task.Depth} exceeds the limit of {tokens.MaxDepth}");
                }

                if (tokens?.OutOfTask != OutOfTaskMode.Policy && !TaskIntent.IsInTask(task, request, call))
                {
                    return Refused(ErrorCatalogue.SessionOutOfTask, "this call is outside the task the token was issued for");
                }
            }

            if (call.Principal is { } subject && SubjectScopeRule.Refusal(request, caller, subject.Entity) is { } outOfScope)
            {
                return ValueTask.FromResult(FlowDecision.Of(outOfScope));
            }

            var labels = Labels(call);
            var facts = labels.Count == 0 && !call.IsWrite ? CallFacts.None : new CallFacts(labels, call.IsWrite);
            charge = _sessions?.Reserve(SessionCall(caller, call, labels), now);

            ApprovalFacts? approval = null;
            ApprovalBinding? binding = null;
            if (_approvals is not null && (call.ApprovalId is not null || _approvals.Book.HasApproved))
            {
                if (call.HasUnreadBody)
                {
                    if (call.ApprovalId is not null)
                    {
                        return Refused(ErrorCatalogue.ApprovalBodyUnbound, "this call forwards a body mandate does not read, so no approval can be bound to it");
                    }
                }
                else
                {
                    binding = Bind(request, caller, call);
                    var (claimed, refusal) = _approvals.Claim(call.ApprovalId, binding.Value);
                    if (refusal is { } code)
                    {
                        return Refused(code, $"approval `{call.ApprovalId}` does not apply to this call");
                    }

                    claim = claimed;
                    if (claim is { Request: var granted })
                    {
                        approval = new ApprovalFacts(true, granted.DecidedBy ?? "", granted.Id, granted.DecidedAt ?? now);
                    }
                }
            }

            var context = ContextBuilder.Build(request, caller, call, now, charge?.Before, facts, approval);
            var decisionRequest = new DecisionRequest(decisionId, caller.Identity, call.Action, call.Resource, context) { Principal = call.Principal };
            var decision = request.Snapshot.DecisionPoint.Decide(decisionRequest);
            if (request.Snapshot.Shadow is { } shadow)
            {
                _shadow?.Offer(shadow, request.Front, decisionRequest, decision, now);
            }

            var policies = decision.Policies.Count == 0 ? [] : Ids(decision.Policies);
            if (decision.IsAllowed)
            {
                return ValueTask.FromResult(new FlowDecision(Verdict.Allow(ErrorCatalogue.PolicyAllow, policies, decision.Errors) with { ApprovalUsed = claim?.Request.Id }, charge, claim));
            }

            Settle();
            var deny = Verdict.PolicyDeny(policies, Reasons(decision.Policies), decision.Errors);
            return AsksForApproval(decision.Policies) && claim is null && _approvals is not null
                ? StepUpAsync(request, call, decisionId, deny, binding)
                : ValueTask.FromResult(FlowDecision.Of(deny));
        }
        catch (Exception e)
        {
            FlowLog.DecisionFailed(_logger, e, decisionId, request.Front.Name());
            Settle();
            return ValueTask.FromResult(FlowDecision.Of(Verdict.Refuse(ErrorCatalogue.DecisionFailed, "the decision could not be made; nothing was forwarded",
                [$"decision failed: {e.GetType().Name}"])));
        }

        ValueTask<FlowDecision> Refused(ErrorCode code, string detail)
        {
            Settle();
            return ValueTask.FromResult(FlowDecision.Of(Verdict.Refuse(code, detail)));
        }

        // A call that does not go on gives back what it took.
        void Settle()
        {
            if (charge is not null)
            {
                _sessions!.Release(charge);
            }

            if (claim is not null)
            {
                _approvals!.Release(claim);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="call"/> could be allowed for some arguments: what a list keeps. Inside the task (or out of
    /// task left to policy), and Cedar's partial evaluation with <c>context.args</c> unknown. False on any failure.
    /// </summary>
    public bool CouldAllow(FlowRequest request, FlowCall call, DateTimeOffset now)
    {
        try
        {
            var caller = request.Caller ?? throw new InvalidOperationException("the caller is not resolved");
            var labels = Labels(call);
            var view = _sessions?.Peek(SessionCall(caller, call, labels), now);
            var context = ContextBuilder.Build(request, caller, call, now, view, labels.Count == 0 && !call.IsWrite ? CallFacts.None : new CallFacts(labels, call.IsWrite));
            if (context.Session is { InTask: false } && request.Snapshot.Config.Tokens?.OutOfTask != OutOfTaskMode.Policy)
            {
                return false;
            }

            if (call.Principal is { } subject && SubjectScopeRule.Refusal(request, caller, subject.Entity) is not null)
            {
                return false;
            }

            return request.Snapshot.DecisionPoint.CouldAllow(
                new DecisionRequest(request.DecisionId, caller.Identity, call.Action, call.Resource, context) { Principal = call.Principal });
        }
        catch (Exception e)
        {
            FlowLog.ListItemCheckFailed(_logger, e, request.DecisionId);
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="call"/> would be allowed now, by the same rules as <see cref="DecideAsync"/> but taking
    /// nothing: the session as it stands (no units reserved), no approval used or opened (a step-up is a deny). What a
    /// search keeps. False on any failure, logged.
    /// </summary>
    public bool WouldAllow(FlowRequest request, FlowCall call, DateTimeOffset now)
    {
        try
        {
            var caller = request.Caller ?? throw new InvalidOperationException("the caller is not resolved");
            var tokens = request.Snapshot.Config.Tokens;
            if (call.RequiresDpop && caller.Task?.Jkt is null)
            {
                return false;
            }

            if (caller.Task is { } task && ((tokens is not null && !DelegationDepth.Allows(tokens, task.Depth))
                || (tokens?.OutOfTask != OutOfTaskMode.Policy && !TaskIntent.IsInTask(task, request, call))))
            {
                return false;
            }

            if (call.Principal is { } subject && SubjectScopeRule.Refusal(request, caller, subject.Entity) is not null)
            {
                return false;
            }

            var labels = Labels(call);
            var view = _sessions?.Peek(SessionCall(caller, call, labels), now);
            var context = ContextBuilder.Build(request, caller, call, now, view, labels.Count == 0 && !call.IsWrite ? CallFacts.None : new CallFacts(labels, call.IsWrite));
            return request.Snapshot.DecisionPoint.Decide(
                new DecisionRequest(request.DecisionId, caller.Identity, call.Action, call.Resource, context) { Principal = call.Principal }).IsAllowed;
        }
        catch (Exception e)
        {
            FlowLog.ListItemCheckFailed(_logger, e, request.DecisionId);
            return false;
        }
    }

    private async ValueTask<FlowDecision> StepUpAsync(FlowRequest request, FlowCall call, string decisionId, Verdict deny, ApprovalBinding? binding)
    {
        if (call.HasUnreadBody)
        {
            return FlowDecision.Of(Verdict.Refuse(ErrorCatalogue.ApprovalBodyUnbound,
                $"{deny.Detail}; approval could lift this, but the call forwards a body mandate does not read, so no approval can be bound to it (give the route `args: json`)"));
        }

        var caller = request.Caller!.Value;
        var expiry = call.ApprovalExpiry ?? request.Snapshot.Config.Approvals.Expiry;
        var requestBase = new Uri($"{(request.Scheme ?? "http")}://{request.Facts.Host}/");
        var ticket = await _approvals!.OpenAsync(request, call, deny, decisionId, binding ?? Bind(request, caller, call), expiry, requestBase);
        return ticket is null
            ? FlowDecision.Of(Verdict.Refuse(ErrorCatalogue.ApprovalUnavailable, "an approval could not be requested; nothing was forwarded"))
            : FlowDecision.Of(Verdict.StepUp(ticket, deny.Policies, deny.Reasons, deny.Errors));
    }

    private static ApprovalBinding Bind(FlowRequest request, Identify.ResolvedCaller caller, FlowCall call)
    {
        var identity = caller.Identity;
        var arguments = ApprovalDigest.Canonical(call.Principal is null && call.Extra is null && !call.Resource.StoredAttributesWin ? call.Args : AskedFacts(call));
        var digest = ApprovalDigest.Of(identity.AgentId, identity.DelegationChain, identity.User, identity.SessionId, request.Front.Name(),
            call.Action.ToString(), call.Resource.Entity.ToString(), arguments, request.Snapshot.Version);
        return new ApprovalBinding(digest, arguments);
    }

    // What a decision API's caller supplied beside the arguments (the subject and its properties, the resource's
    // properties, context members): all of it decides, so an approval is bound to all of it.
    private static JsonElement AskedFacts(FlowCall call)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (call.Args is { } args)
            {
                w.WritePropertyName("args");
                args.WriteTo(w);
            }

            WriteMembers(w, "context", call.Extra);
            WriteMembers(w, "resource_properties", call.Resource.Attributes);
            if (call.Principal is { } subject)
            {
                w.WriteString("subject", subject.Entity.ToString());
                WriteMembers(w, "subject_properties", subject.Attributes);
            }

            w.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();

        static void WriteMembers(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, JsonElement>? members)
        {
            if (members is null || members.Count == 0)
            {
                return;
            }

            w.WriteStartObject(name);
            foreach (var (key, value) in members)
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }

            w.WriteEndObject();
        }
    }

    // A deny is a step-up only when every policy that denied asks for approval (a default deny never is).
    private static bool AsksForApproval(IReadOnlyList<PolicyCitation> policies)
    {
        if (policies.Count == 0)
        {
            return false;
        }

        foreach (var p in policies)
        {
            if (p.StepUp != "approval")
            {
                return false;
            }
        }

        return true;
    }

    private static SessionCall SessionCall(Identify.ResolvedCaller caller, FlowCall call, IReadOnlyList<string> labels) =>
        new(caller.Identity.AgentId, caller.Task?.SessionId, caller.RootSessionId, call.ToolName, labels, call.IsWrite);

    // The route's or tool's labels, and the resource's `labels` attribute (a set of strings), once each.
    private static IReadOnlyList<string> Labels(FlowCall call)
    {
        if (!call.Resource.Attributes.TryGetValue("labels", out var attribute) || attribute.ValueKind != JsonValueKind.Array)
        {
            return call.Labels;
        }

        var labels = new List<string>(call.Labels);
        foreach (var item in attribute.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { } label && !labels.Contains(label, StringComparer.Ordinal))
            {
                labels.Add(label);
            }
        }

        return labels;
    }

    private static string[] Ids(IReadOnlyList<PolicyCitation> policies)
    {
        var ids = new string[policies.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = policies[i].Id;
        }

        return ids;
    }

    private static IReadOnlyList<string> Reasons(IReadOnlyList<PolicyCitation> policies) =>
        policies.Where(p => p.Reason is not null).Select(p => p.Reason!).ToArray();
}
