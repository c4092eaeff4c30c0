using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Pipeline;

/// <summary>
/// Contextualise: builds the Cedar context from facts Mandate established itself — the real method
/// (never an override header), the canonical path, the client address, the verified credential.
/// </summary>
public sealed class ContextualiseMiddleware
{
    private readonly RequestDelegate _next;
    private readonly TimeProvider _time;
    private readonly Refusal _refusal;

    /// <summary>Creates the step.</summary>
    public ContextualiseMiddleware(RequestDelegate next, TimeProvider time, Refusal refusal)
    {
        _next = next;
        _time = time;
        _refusal = refusal;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        exchange.Context = Build(context, exchange, _time.GetUtcNow());

        // A call outside the declared task is refused before policy, unless the deployment hands it to policy.
        if (exchange.Context.Session is { InTask: false } && exchange.Snapshot.Config.Tokens?.OutOfTask != OutOfTaskMode.Policy)
        {
            return _refusal.RefuseAsync(context, exchange, StatusCodes.Status403Forbidden, "session.out_of_task", "forbidden",
                "this call is outside the task the token was issued for");
        }

        return _next(context);
    }

    /// <summary>The context for one request.</summary>
    public static DecisionContext Build(HttpContext context, GatewayExchange exchange, DateTimeOffset now)
    {
        var caller = exchange.Caller!;
        if (exchange.TaskToken is { } task)
        {
            var match = exchange.Match!;
            var inTask = TaskScope.IsInTask(task, match.Route.Action, match.Resource.Entity, exchange.Path!.Value);
            return new DecisionContext(
                new RequestFacts(context.Request.Method, exchange.Path!.Value, exchange.ClientIp, context.Request.Host.Value ?? ""),
                task.ToTokenFacts(now),
                task.ToDelegationFacts(),
                now)
            {
                Session = TaskScope.Session(task, inTask),
            };
        }

        var secondsLeft = caller.ExpiresAt is { } expires ? Math.Max(0, (long)Math.Floor((expires - now).TotalSeconds)) : 0;
        return new DecisionContext(
            new RequestFacts(context.Request.Method, exchange.Path!.Value, exchange.ClientIp, context.Request.Host.Value ?? ""),
            new TokenFacts(caller.Scopes, caller.Method, secondsLeft),
            new DelegationFacts(caller.User ?? "", caller.DelegationChain, caller.DelegationChain.Count),
            now)
        {
            Claims = caller.Claims,
        };
    }
}
