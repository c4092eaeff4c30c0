using Mandate.Server.Pipeline;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Mcp;

/// <summary>
/// The control plane's MCP endpoints (behind the admin token): <c>POST /v1/mcp/{server}/tools/{tool}/accept</c>
/// pins the definition the server last listed for the tool, lifting a <c>mcp.tool_changed</c> deny or hide.
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
        var split = rest.IndexOf("/tools/", StringComparison.Ordinal);
        if (split <= 0 || !rest.EndsWith("/accept", StringComparison.Ordinal) || split + "/tools/".Length >= rest.Length - "/accept".Length)
        {
            await ProblemResponse.WriteAsync(context, 404, "admin.not_found", "not found", "no such admin endpoint", null);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await ProblemResponse.WriteAsync(context, 405, "admin.method_not_allowed", "method not allowed", "accepting a tool definition is a POST", null);
            return;
        }

        var server = rest[..split];
        var tool = rest[(split + "/tools/".Length)..^"/accept".Length];
        if (!_snapshots.Current.Config.Mcp.Servers.ContainsKey(server))
        {
            await ProblemResponse.WriteAsync(context, 404, "mcp.server_unknown", "not found", $"no mcp server `{server}` is configured", null);
            return;
        }

        var accepted = await _pins.AcceptAsync(server, tool, "admin api", context.RequestAborted);
        if (accepted is null)
        {
            await ProblemResponse.WriteAsync(context, 404, "mcp.tool_unknown", "not found", $"tool `{tool}` was never listed by `{server}` through mandate, so there is no definition to accept", null);
            return;
        }

        if (!accepted.Ok)
        {
            await ProblemResponse.WriteAsync(context, 503, "mcp.pin_store_unavailable", "service unavailable", accepted.Error!.Message, null);
            return;
        }

        var pin = accepted.Value!;
        await Results.Json(new { server = pin.Server, tool = pin.Tool, hash = pin.Hash, acceptedBy = pin.AcceptedBy, acceptedAt = pin.AcceptedAt }).ExecuteAsync(context);
    }
}
