using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// For routes with <c>args: json</c> (between Classify and Decide): reads the whole body, puts the parsed
/// object into <c>context.args</c>, and replaces the request body with the buffer, so what is forwarded is byte
/// for byte what was decided on. A body that is not one strict JSON object is refused (400/413/415) and audited;
/// nothing is forwarded.
/// </summary>
public sealed class JsonArgsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly DecisionFlow _flow;

    /// <summary>Creates the step.</summary>
    public JsonArgsMiddleware(RequestDelegate next, DecisionFlow flow)
    {
        _next = next;
        _flow = flow;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // Only routes that read arguments pay for an async step; the rest pass straight on.
        var state = context.Features.GetRequiredFeature<HttpRequestState>();
        return state.Match!.Route.Args == RouteArgs.Json ? ReadArgsAsync(context, state) : _next(context);
    }

    private async Task ReadArgsAsync(HttpContext context, HttpRequestState state)
    {
        var route = state.Match!.Route;

        var reading = await JsonRequestBody.ReadAsync(context.Request, route.ArgsMaxBytes, context.RequestAborted);
        if (reading.ErrorCode is { } code)
        {
            await HttpRefusal.WriteAsync(context, _flow, state, code, reading.ErrorMessage!);
            return;
        }

        // INVARIANT: from here on the request body is the buffer that was parsed; the client stream is not read again.
        context.Request.Body = new MemoryStream(reading.Bytes, writable: false);
        state.Call = state.Call! with { Args = reading.Root, HasUnreadBody = false };
        await _next(context);
    }
}
