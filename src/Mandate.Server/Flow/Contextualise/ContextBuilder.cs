using Mandate.Core.Decisions;
using Mandate.Server.Flow.Identify;

namespace Mandate.Server.Flow.Contextualise;

/// <summary>
/// Builds the Cedar context of a call from facts Mandate established itself — the real method (never an override
/// header), the canonical path, the client address, the verified credential, the task and its intent — plus the
/// arguments and extra members the front read. The same for every front.
/// </summary>
public static class ContextBuilder
{
    /// <summary>The context of <paramref name="call"/> by <paramref name="caller"/> within <paramref name="request"/>.</summary>
    public static DecisionContext Build(FlowRequest request, ResolvedCaller caller, FlowCall call, DateTimeOffset now)
    {
        var identity = caller.Identity;
        DecisionContext context;
        if (caller.Task is { } task)
        {
            context = new DecisionContext(request.Facts, task.ToTokenFacts(now), task.ToDelegationFacts(), now)
            {
                Session = task.ToSessionFacts(TaskIntent.IsInTask(task, request, call)),
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
            };
        }

        if (call.Args is not null || call.Extra is not null || call.Delegation is not null)
        {
            context = context with { Args = call.Args, Extra = call.Extra ?? context.Extra, Delegation = call.Delegation ?? context.Delegation };
        }

        return context;
    }
}
