using Mandate.Server.Flow;
using Mandate.Server.Flow.Identify;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Resolves the caller through the flow's <see cref="CallerResolver"/> from the request's credentials; a refusal is
/// recorded and answered (400 for several credentials, 401 otherwise). The MCP front continues from here into its
/// endpoint instead of the route table.
/// </summary>
public sealed class IdentifyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly CallerResolver _resolver;
    private readonly DecisionFlow _flow;

    /// <summary>Creates the step.</summary>
    public IdentifyMiddleware(RequestDelegate next, CallerResolver resolver, DecisionFlow flow)
    {
        _next = next;
        _resolver = resolver;
        _flow = flow;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var state = context.Features.GetRequiredFeature<HttpRequestState>();
        var pending = _resolver.ResolveAsync(PresentedCredentials.From(context.Request), context.RequestAborted);

        // A token verified before is answered at once from the cache: then this step has no state machine of its own.
        return pending.IsCompletedSuccessfully ? Continue(context, state, pending.Result) : ContinueAsync(context, state, pending);
    }

    private Task Continue(HttpContext context, HttpRequestState state, CallerResolution resolution)
    {
        if (resolution.Caller is not { } caller)
        {
            return HttpRefusal.WriteAsync(context, _flow, state, resolution.Code!, resolution.Message!);
        }

        state.Flow.Caller = caller;
        return _next(context);
    }

    private async Task ContinueAsync(HttpContext context, HttpRequestState state, ValueTask<CallerResolution> pending) =>
        await Continue(context, state, await pending);
}
