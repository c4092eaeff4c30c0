using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Mandate.Server.Fronts.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>What one HTTP request to an MCP endpoint carries through the MCP front, once the caller is resolved.</summary>
/// <param name="Http">The HTTP front's state (the flow's request, the canonical path).</param>
/// <param name="Server">The MCP server the endpoint fronts.</param>
public sealed record McpRequestState(HttpRequestState Http, McpServerConfig Server)
{
    /// <summary>The request as the decision flow sees it.</summary>
    public FlowRequest Flow => Http.Flow;

    /// <summary>The verified caller.</summary>
    public CallerIdentity Caller => Flow.Caller!.Value.Identity;

    /// <summary>The upstream name written to audit records.</summary>
    public string UpstreamName => "mcp:" + Server.Name;
}
