using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Pipeline;

namespace Mandate.Server.Mcp;

/// <summary>What one HTTP request to an MCP endpoint carries through the MCP front, once the caller is identified.</summary>
/// <param name="Exchange">The gateway's per-request state (snapshot, decision id, caller, canonical path).</param>
/// <param name="Server">The MCP server the endpoint fronts.</param>
/// <param name="Context">The Cedar context of this request (without <c>args</c>; each message adds its own).</param>
public sealed record McpRequestState(GatewayExchange Exchange, McpServerConfig Server, DecisionContext Context)
{
    /// <summary>The verified caller.</summary>
    public CallerIdentity Caller => Exchange.Caller!;

    /// <summary>The upstream name written to audit records.</summary>
    public string UpstreamName => "mcp:" + Server.Name;
}
