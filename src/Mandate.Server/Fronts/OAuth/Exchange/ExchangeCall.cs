using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Tokens;
using Mandate.Server.Flow;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>
/// The exchange as the flow's call. Principal: the actor agent. Action: <c>token.exchange</c> (a root task) or
/// <c>delegate</c> (a child of a task token). Resource: <c>User::"user"</c> the agent would act for, or
/// <c>Agent::"parent"</c> it would act under (<c>Agent::"self"</c>'s own id when it acts for itself). Context: the usual
/// members, with <c>delegation</c> describing the token to be issued, plus <c>exchange</c> {scopes, audiences, tools,
/// resources, intent, lifetime_seconds, depth, user, parent_agent, dpop_bound}, so policy can say who may act for
/// whom, how long and how deep.
/// </summary>
public static class ExchangeCall
{
    /// <summary>The call for a planned exchange by <paramref name="actor"/>, in the policies' namespace <paramref name="ns"/>.</summary>
    public static FlowCall For(string ns, CallerIdentity actor, ExchangePlan plan, TaskTokenPrincipal? parent, DateTimeOffset now)
    {
        string Qualify(string type) => ns.Length == 0 ? type : $"{ns}::{type}";
        var action = new EntityRef(Qualify("Action"), plan.CedarAction);
        var resource = plan.IsDelegation
            ? new EntityRef(Qualify("Agent"), parent!.AgentId)
            : plan.UserId is { } user ? new EntityRef(Qualify("User"), user) : new EntityRef(Qualify("Agent"), actor.AgentId);
        var lifetime = Math.Max(0, (long)Math.Ceiling((plan.ExpiresAt - now).TotalSeconds));
        var exchange = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["scopes"] = plan.Grant.Scopes,
            ["audiences"] = plan.Grant.Audiences,
            ["tools"] = plan.Grant.Tools,
            ["resources"] = plan.Grant.Resources,
            ["intent"] = plan.Grant.Intent,
            ["lifetime_seconds"] = lifetime,
            ["depth"] = (long)plan.Depth,
            ["user"] = plan.UserId ?? "",
            ["parent_agent"] = parent?.AgentId ?? "",
            ["dpop_bound"] = plan.Jkt is not null,
        });
        return new FlowCall(action, new ResourceDescriptor(resource, [], new Dictionary<string, JsonElement>()))
        {
            Delegation = new DelegationFacts(plan.UserId ?? "", plan.Chain, plan.Chain.Count),
            Extra = new Dictionary<string, JsonElement> { ["exchange"] = exchange },
        };
    }
}
