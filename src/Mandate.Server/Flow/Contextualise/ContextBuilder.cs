using Mandate.Core.Decisions;
using Mandate.Core.Sessions;
using Mandate.Server.Flow.Identify;

namespace Mandate.Server.Flow.Contextualise;

/// <summary>
/// Builds the Cedar context of a call from facts Mandate established itself — the real method (never an override
/// header), the canonical path, the client address, the verified credential, the task and its intent — plus the
/// arguments and extra members the front read. The same for every front.
/// </summary>
public static class ContextBuilder
{
    /// <summary>
    /// The context of <paramref name="call"/> by <paramref name="caller"/> within <paramref name="request"/>: with the
    /// session as <paramref name="session"/> saw it before this call, the call's own <paramref name="facts"/> and the
    /// <paramref name="approval"/> it uses (none when null).
    /// </summary>
    public static DecisionContext Build(FlowRequest request, ResolvedCaller caller, FlowCall call, DateTimeOffset now,
        SessionView? session = null, CallFacts? facts = null, ApprovalFacts? approval = null)
    {
        var identity = caller.Identity;
        DecisionContext context;
        if (caller.Task is { } task)
        {
            var sessionFacts = task.ToSessionFacts(TaskIntent.IsInTask(task, request, call));
            if (session is { } v)
            {
                sessionFacts = sessionFacts with { Calls = v.Calls, Writes = v.Writes, ToolsUsed = v.ToolsUsed, LabelsSeen = v.LabelsSeen };
            }

            context = new DecisionContext(request.Facts, task.ToTokenFacts(now), task.ToDelegationFacts(), now)
            {
                Session = sessionFacts,
                Call = facts ?? CallFacts.None,
                AgentCallsLastMinute = session?.AgentCallsLastMinute ?? 0,
                Approval = approval ?? ApprovalFacts.None,
            };
        }
        else
        {
            var secondsLeft = identity.ExpiresAt is { } expires ? Math.Max(0, (long)Math.Floor((expires - now).TotalSeconds)) : 0;
            context = new DecisionContext(
                request.Facts,
                new TokenFacts(identity.Scopes, identity.Method, secondsLeft),
                new DelegationFacts(identity.User ?? "", identity.DelegationChain, identity.DelegationChain.Count),
                now)
            {
                Claims = identity.Claims,
                Call = facts ?? CallFacts.None,
                AgentCallsLastMinute = session?.AgentCallsLastMinute ?? 0,
                Approval = approval ?? ApprovalFacts.None,
            };
        }

        if (call.Args is not null || call.Extra is not null || call.Delegation is not null)
        {
            context = context with { Args = call.Args, Extra = call.Extra ?? context.Extra, Delegation = call.Delegation ?? context.Delegation };
        }

        return context;
    }
}
