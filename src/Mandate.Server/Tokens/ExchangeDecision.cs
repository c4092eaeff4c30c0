using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Tokens;
using Mandate.Server.Snapshots;

namespace Mandate.Server.Tokens;

/// <summary>
/// The exchange as a Cedar decision. Principal: the actor agent. Action: <c>token.exchange</c> (a root task)
/// or <c>delegate</c> (a child of a task token). Resource: <c>User::"user"</c> the agent would act for, or
/// <c>Agent::"parent"</c> it would act under (<c>Agent::"self"</c>'s own id when it acts for itself). Context:
/// the usual members plus <c>exchange</c> {scopes, audiences, tools, resources, intent, lifetime_seconds, depth,
/// user, parent_agent, dpop_bound}, so policy can say who may act for whom, how long and how deep.
/// </summary>
public static class ExchangeDecision
{
    /// <summary>The action of a root exchange.</summary>
    public const string RootAction = "token.exchange";

    /// <summary>The action of a delegation.</summary>
    public const string DelegateAction = "delegate";

    /// <summary>Builds the decision request for a planned exchange.</summary>
    public static DecisionRequest Build(string decisionId, GatewaySnapshot snapshot, CallerIdentity actor, ExchangePlan plan, TaskTokenPrincipal? parent, RequestFacts request, DateTimeOffset now)
    {
        var ns = snapshot.Config.Policies.Namespace;
        string Qualify(string type) => ns.Length == 0 ? type : $"{ns}::{type}";
        var action = new EntityRef(Qualify("Action"), plan.IsDelegation ? DelegateAction : RootAction);
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
        var context = new DecisionContext(
            request,
            new TokenFacts(actor.Scopes, actor.Method, actor.ExpiresAt is { } e ? Math.Max(0, (long)Math.Floor((e - now).TotalSeconds)) : 0),
            new DelegationFacts(plan.UserId ?? "", plan.Chain, plan.Chain.Count),
            now)
        {
            Extra = new Dictionary<string, JsonElement> { ["exchange"] = exchange },
        };
        return new DecisionRequest(decisionId, actor, action, new ResourceDescriptor(resource, [], new Dictionary<string, JsonElement>()), context);
    }
}
