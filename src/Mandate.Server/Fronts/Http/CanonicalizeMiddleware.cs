using Mandate.Server.Flow;
using Mandate.Server.Paths;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Fronts.Http;

/// <summary>Makes the raw request target canonical, or refuses it with 400 and its <c>path.*</c> code (recorded).</summary>
public sealed class CanonicalizeMiddleware
{
    private readonly RequestDelegate _next;
    private readonly DecisionFlow _flow;

    /// <summary>Creates the step.</summary>
    public CanonicalizeMiddleware(RequestDelegate next, DecisionFlow flow)
    {
        _next = next;
        _flow = flow;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var state = context.Features.GetRequiredFeature<HttpRequestState>();
        var (path, rejection) = CanonicalPath.Parse(state.RawTarget);
        if (rejection is not null)
        {
            return HttpRefusal.WriteAsync(context, _flow, state, rejection.Code, rejection.Message);
        }

        state.Path = path;
        if (!string.Equals(state.Flow.Facts.Path, path!.Value, StringComparison.Ordinal))
        {
            state.Flow.Facts = state.Flow.Facts with { Path = path.Value };
        }

        return _next(context);
    }
}
