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

    /// <summary>True when the client can be answered a step-up with MCP's <c>URLElicitationRequiredError</c> (-32042): its session declared URL elicitation under 2025-11-25.</summary>
    public bool UrlElicitation { get; init; }

    /// <summary>True for an <c>initialize</c> whose client declares URL elicitation (remembered with the session the server issues).</summary>
    public bool DeclaresUrlElicitation { get; set; }

    /// <summary>The approval named in the request's <c>Mandate-Approval</c> header, if any (a message's <c>_meta</c> takes precedence).</summary>
    public string? ApprovalHeader { get; init; }

    /// <summary>The upstream name written to audit records.</summary>
    public string UpstreamName => "mcp:" + Server.Name;
}
