using Mandate.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Pipeline;

/// <summary>
/// For routes with <c>args: json</c> (between Contextualise and Decide): reads the whole body, puts the parsed
/// object into <c>context.args</c>, and replaces the request body with the buffer, so what is forwarded is byte
/// for byte what was decided on. A body that is not one strict JSON object is refused (400/413/415) and audited;
/// nothing is forwarded.
/// </summary>
public sealed class JsonArgsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly Refusal _refusal;

    /// <summary>Creates the step.</summary>
    public JsonArgsMiddleware(RequestDelegate next, Refusal refusal)
    {
        _next = next;
        _refusal = refusal;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // Only routes that read arguments pay for an async step; the rest pass straight on.
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        return exchange.Match!.Route.Args == RouteArgs.Json ? ReadArgsAsync(context, exchange) : _next(context);
    }

    private async Task ReadArgsAsync(HttpContext context, GatewayExchange exchange)
    {
        var route = exchange.Match!.Route;

        var reading = await JsonRequestBody.ReadAsync(context.Request, route.ArgsMaxBytes, context.RequestAborted);
        if (reading.ErrorCode is not null)
        {
            var title = reading.Status switch
            {
                StatusCodes.Status413PayloadTooLarge => "payload too large",
                StatusCodes.Status415UnsupportedMediaType => "unsupported media type",
                _ => "bad request",
            };
            await _refusal.RefuseAsync(context, exchange, reading.Status, reading.ErrorCode, title, reading.ErrorMessage!);
            return;
        }

        // INVARIANT: from here on the request body is the buffer that was parsed; the client stream is not read again.
        context.Request.Body = new MemoryStream(reading.Bytes, writable: false);
        exchange.Context = exchange.Context! with { Args = reading.Root };
        await _next(context);
    }
}
