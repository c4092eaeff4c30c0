using Mandate.Server.Paths;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Pipeline;

/// <summary>Classify, part one: makes the raw request target canonical or refuses it with 400.</summary>
public sealed class CanonicalizeMiddleware
{
    private readonly RequestDelegate _next;
    private readonly Refusal _refusal;

    /// <summary>Creates the step.</summary>
    public CanonicalizeMiddleware(RequestDelegate next, Refusal refusal)
    {
        _next = next;
        _refusal = refusal;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        var (path, rejection) = CanonicalPath.Parse(exchange.RawTarget);
        if (rejection is not null)
        {
            return _refusal.RefuseAsync(context, exchange, StatusCodes.Status400BadRequest, rejection.Code, "bad request path", rejection.Message);
        }

        exchange.Path = path;
        return _next(context);
    }
}
