using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow.Contextualise;
using Mandate.Server.Flow.Identify;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Flow.Decide;

/// <summary>
/// Decides one call, in order: a call whose place requires DPoP from a caller without a DPoP-bound task token (whose
/// proof the identify step verified) is refused (<c>dpop.required</c>); a task token deeper than <c>tokens.maxDepth</c> is refused
/// (<c>delegation.depth_exceeded</c>); a call outside its task is refused (<c>session.out_of_task</c>) unless the
/// deployment leaves that to policy; then the snapshot's Cedar policies decide. Fails closed: an exception is a deny
/// (<c>decision.failed</c>), logged. Records nothing: see <see cref="Record.DecisionJournal"/>.
/// </summary>
public sealed class Decider
{
    private readonly ILogger<Decider> _logger;

    /// <summary>Creates the decider.</summary>
    public Decider(ILogger<Decider> logger) => _logger = logger;

    /// <summary>The verdict for <paramref name="call"/> by the request's caller at <paramref name="now"/>, under <paramref name="decisionId"/>.</summary>
    public Verdict Decide(FlowRequest request, FlowCall call, string decisionId, DateTimeOffset now)
    {
        try
        {
            var caller = request.Caller ?? throw new InvalidOperationException("the caller is not resolved");
            var tokens = request.Snapshot.Config.Tokens;
            if (call.RequiresDpop && caller.Task?.Jkt is null)
            {
                // A bound token reaches here only with a proof that matched its key, method, URL and token (TaskTokenGate).
                return Verdict.Refuse(ErrorCatalogue.DpopRequired, "this place accepts only a dpop-bound task token presented with a proof");
            }

            if (caller.Task is { } task && tokens is not null && !DelegationDepth.Allows(tokens, task.Depth))
            {
                return Verdict.Refuse(ErrorCatalogue.DelegationDepthExceeded,
                    $"delegation depth {task.Depth} exceeds the limit of {tokens.MaxDepth}");
            }

            var context = ContextBuilder.Build(request, caller, call, now);
            if (context.Session is { InTask: false } && tokens?.OutOfTask != OutOfTaskMode.Policy)
            {
                return Verdict.Refuse(ErrorCatalogue.SessionOutOfTask, "this call is outside the task the token was issued for");
            }

            var decision = request.Snapshot.DecisionPoint.Decide(new DecisionRequest(decisionId, caller.Identity, call.Action, call.Resource, context));
            var policies = decision.Policies.Count == 0 ? [] : Ids(decision.Policies);
            return decision.IsAllowed
                ? Verdict.Allow(ErrorCatalogue.PolicyAllow, policies, decision.Errors)
                : Verdict.PolicyDeny(policies, Reasons(decision.Policies), decision.Errors);
        }
        catch (Exception e)
        {
            FlowLog.DecisionFailed(_logger, e, decisionId, request.Front.Name());
            return Verdict.Refuse(ErrorCatalogue.DecisionFailed, "the decision could not be made; nothing was forwarded",
                [$"decision failed: {e.GetType().Name}"]);
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
            var context = ContextBuilder.Build(request, caller, call, now);
            if (context.Session is { InTask: false } && request.Snapshot.Config.Tokens?.OutOfTask != OutOfTaskMode.Policy)
            {
                return false;
            }

            return request.Snapshot.DecisionPoint.CouldAllow(new DecisionRequest(request.DecisionId, caller.Identity, call.Action, call.Resource, context));
        }
        catch (Exception e)
        {
            FlowLog.ListItemCheckFailed(_logger, e, request.DecisionId);
            return false;
        }
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
