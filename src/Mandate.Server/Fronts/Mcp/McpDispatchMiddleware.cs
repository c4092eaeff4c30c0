using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Fronts.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Sends requests for an MCP endpoint (by canonical path) to the MCP front instead of the route table: the RFC 9728
/// metadata without credentials; the endpoint itself after the <c>Origin</c> check and the same identify step as
/// HTTP (a 401 there also names the metadata URL). Other paths go on to Identify → Classify → ….
/// Runs after <see cref="CanonicalizeMiddleware"/>, so <c>/mcp/%74ools</c> and <c>/mcp/tools</c> are one endpoint.
/// </summary>
public sealed class McpDispatchMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IdentifyMiddleware _identify;
    private readonly DecisionFlow _flow;

    /// <summary>Creates the step.</summary>
    public McpDispatchMiddleware(RequestDelegate next, CallerResolver resolver, DecisionFlow flow, McpEndpoint endpoint)
    {
        _next = next;
        _flow = flow;

        // The identify step is the HTTP front's own, continuing into the MCP endpoint instead of Classify.
        _identify = new IdentifyMiddleware(
            context => endpoint.HandleAsync(context, context.Features.GetRequiredFeature<HttpRequestState>(), context.Features.GetRequiredFeature<McpTarget>().Server),
            resolver,
            flow);
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // Without MCP servers the step is a pass-through with no state machine of its own.
        var state = context.Features.GetRequiredFeature<HttpRequestState>();
        return state.Flow.Snapshot.Config.Mcp.Servers.Count == 0 ? _next(context) : DispatchAsync(context, state);
    }

    private async Task DispatchAsync(HttpContext context, HttpRequestState state)
    {
        var config = state.Flow.Snapshot.Config;
        var mcp = config.Mcp;
        var path = state.Path!.Value;
        if (ProtectedResourceMetadata.ServerFor(mcp, path) is { } described)
        {
            state.Flow.Recorded = true; // public metadata, not a decision: nothing to audit
            await ProtectedResourceMetadata.WriteAsync(context, config, described);
            return;
        }

        if (mcp.ServerAt(path) is not { } server)
        {
            await _next(context);
            return;
        }

        state.Flow.Front = Front.Mcp;
        var origins = context.Request.Headers.Origin;
        if (origins.Count > 1 || (origins.Count == 1 && !server.AllowedOrigins.Contains(origins[0] ?? "", StringComparer.Ordinal)))
        {
            // A browser page from another origin (DNS rebinding, drive-by) must not reach a local MCP server.
            await HttpRefusal.WriteAsync(context, _flow, state, ErrorCatalogue.McpOrigin, "this origin may not call the mcp endpoint");
            return;
        }

        context.Features.Set(new McpTarget(server));
        var challenge = ProtectedResourceMetadata.Challenge(mcp, server, context);
        context.Response.OnStarting(() =>
        {
            if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                var existing = context.Response.Headers.WWWAuthenticate.ToString();
                context.Response.Headers.WWWAuthenticate = existing.Length == 0 ? "Bearer " + challenge : existing + ", " + challenge;
            }

            return Task.CompletedTask;
        });
        await _identify.InvokeAsync(context);
    }
}

/// <summary>The MCP server a request is for, as a request feature.</summary>
/// <param name="Server">The server's configuration.</param>
public sealed record McpTarget(McpServerConfig Server);
