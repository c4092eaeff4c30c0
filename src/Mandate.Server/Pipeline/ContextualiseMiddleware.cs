using Mandate.Core.Decisions;
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

    /// <summary>Creates the step.</summary>
    public ContextualiseMiddleware(RequestDelegate next, TimeProvider time)
    {
        _next = next;
        _time = time;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        exchange.Context = Build(context, exchange, _time.GetUtcNow());
        return _next(context);
    }

    /// <summary>The context for one request.</summary>
    public static DecisionContext Build(HttpContext context, GatewayExchange exchange, DateTimeOffset now)
    {
        var caller = exchange.Caller!;
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
