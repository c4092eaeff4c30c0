using Mandate.Core.Errors;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Fronts.Mcp;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Planes;

/// <summary>
/// The control plane's MCP endpoints (behind the admin token): <c>POST /v1/mcp/{server}/tools/{tool}/accept</c>
/// pins the definition the server last listed for the tool, lifting a <c>mcp.tool_changed</c> deny or hide;
/// <c>GET /v1/mcp/{server}/schema</c> answers the Cedar types of the server's tool arguments (from the tool
/// definitions Mandate has seen) and the problems of the loaded policies on <c>context.args</c> against them.
/// </summary>
public sealed class McpAdminApi
{
    /// <summary>The path prefix this API answers.</summary>
    public const string Prefix = "/v1/mcp/";

    private readonly SnapshotHolder _snapshots;
    private readonly McpToolPins _pins;

    /// <summary>Creates the API.</summary>
    public McpAdminApi(SnapshotHolder snapshots, McpToolPins pins)
    {
        _snapshots = snapshots;
        _pins = pins;
    }

    /// <summary>Handles a request whose path starts with <see cref="Prefix"/> (the caller is already an admin).</summary>
    public async Task HandleAsync(HttpContext context, string path)
    {
        // Tool names may hold `/`; server names may not: {server}/tools/{tool}/accept.
        var rest = path[Prefix.Length..];
        if (rest.EndsWith("/schema", StringComparison.Ordinal) && rest.IndexOf('/') == rest.Length - "/schema".Length)
        {
            await SchemaAsync(context, rest[..^"/schema".Length]);
            return;
        }

        var split = rest.IndexOf("/tools/", StringComparison.Ordinal);
        if (split <= 0 || !rest.EndsWith("/accept", StringComparison.Ordinal) || split + "/tools/".Length >= rest.Length - "/accept".Length)
        {
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminNotFound, "no such admin endpoint", null);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminMethodNotAllowed, "accepting a tool definition is a POST", null);
            return;
        }

        var server = rest[..split];
        var tool = rest[(split + "/tools/".Length)..^"/accept".Length];
        if (!_snapshots.Current.Config.Mcp.Servers.ContainsKey(server))
        {
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.McpServerUnknown, $"no mcp server `{server}` is configured", null);
            return;
        }

        var accepted = await _pins.AcceptAsync(server, tool, "admin api", context.RequestAborted);
        if (accepted is null)
        {
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.McpToolUnknown, $"tool `{tool}` was never listed by `{server}` through mandate, so there is no definition to accept", null);
            return;
        }

        if (!accepted.Ok)
        {
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.McpPinStoreUnavailable, accepted.Error!.Message, null);
            return;
        }

        var pin = accepted.Value!;
        await Results.Json(new { server = pin.Server, tool = pin.Tool, hash = pin.Hash, acceptedBy = pin.AcceptedBy, acceptedAt = pin.AcceptedAt }).ExecuteAsync(context);
    }

    private async Task SchemaAsync(HttpContext context, string server)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET";
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminMethodNotAllowed, "the argument schema is read with GET", null);
            return;
        }

        var snapshot = _snapshots.Current;
        if (!snapshot.Config.Mcp.Servers.ContainsKey(server))
        {
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.McpServerUnknown, $"no mcp server `{server}` is configured", null);
            return;
        }

        var tools = _pins.Registry.ArgumentsOf(server);
        var policies = (snapshot.DecisionPoint as Mandate.Core.Decisions.CedarDecisionPoint)?.Policies ?? [];
        var problems = Mandate.Core.Mcp.ToolArguments.McpArgumentPolicyCheck.Check(policies, server, tools);
        await Results.Json(new
        {
            server,
            tools = tools.Keys.Order(StringComparer.Ordinal).ToArray(),
            schema = Mandate.Core.Mcp.ToolArguments.McpToolCedarSchema.Render(server, tools),
            problems = problems.Select(p => new { policy = p.PolicyId, message = p.Message }).ToArray(),
        }).ExecuteAsync(context);
    }
}
