using Mandate.Core.Errors;
using Mandate.Core.Tokens;
using Mandate.Server.Flow.Decide;
using Mandate.Server.TaskTokens;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>
/// Mandate's own rules for the new token: it only narrows (scopes, audiences, tools and resources within the parent's,
/// or the user token's scopes), it outlives neither its parent nor the maximum, its chain has no cycle, and it is no
/// deeper than <c>tokens.maxDepth</c> of the running configuration (the same rule the flow applies at use).
/// </summary>
public sealed class PlanCheck : IExchangeCheck
{
    private readonly TokenServices _tokens;

    /// <summary>Creates the check.</summary>
    public PlanCheck(TokenServices tokens) => _tokens = tokens;

    /// <inheritdoc />
    public ValueTask<ExchangeRefusal?> CheckAsync(ExchangeState state, CancellationToken cancellationToken)
    {
        var request = state.Request!;
        var actor = state.Actor!.Value.Identity;
        var subject = state.Subject!;
        var task = request.AuthorizationDetails;
        var requested = new TaskGrant(
            request.Scopes,
            state.Audiences,
            string.Join("; ", task.Select(t => t.Intent).Where(i => i.Length > 0)),
            task.SelectMany(t => t.Actions.Concat(t.Tools)).Distinct(StringComparer.Ordinal).ToArray(),
            task.SelectMany(t => t.Resources).Distinct(StringComparer.Ordinal).ToArray());
        var input = new ExchangeInput
        {
            Actor = new ExchangeActor(actor.AgentId, actor.Method, actor.Issuer),
            SubjectKind = subject.Kind,
            UserId = subject.UserId,
            Parent = subject.Parent,
            Requested = requested,
            // A root exchange for a user never grants more scopes than the user's own token holds.
            Ceiling = subject.Kind == ExchangeSubjectKind.User && subject.UserScopes.Count > 0
                ? new TaskGrant(subject.UserScopes, state.Audiences.Count > 0 ? state.Audiences : _tokens.Config.Audiences, "", [], [])
                : null,
            RequestedLifetime = request.RequestedLifetime,
            DpopJkt = state.Jkt,
            ClientId = actor.AgentId,
        };
        var plan = _tokens.Service.Plan(input, _tokens.Time.GetUtcNow());
        ExchangeRefusal? refusal = null;
        if (!plan.Ok)
        {
            refusal = new ExchangeRefusal(plan.Error!.Code, plan.Error.Description);
        }
        else if (state.Flow.Snapshot.Config.Tokens is { } tokens && !DelegationDepth.Allows(tokens, plan.Plan!.Depth))
        {
            refusal = new ExchangeRefusal(ErrorCatalogue.DelegationDepthExceeded, $"delegation depth {plan.Plan.Depth} exceeds the limit of {tokens.MaxDepth}");
        }
        else
        {
            state.Plan = plan.Plan;
        }

        return ValueTask.FromResult(refusal);
    }
}
