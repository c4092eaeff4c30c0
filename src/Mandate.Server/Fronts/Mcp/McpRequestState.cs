using Mandate.Core.Decisions;
using Mandate.Core.Mcp;
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

    /// <summary>True when the request is a modern (2026-07-28) one: stateless, its declarations in <see cref="Meta"/>.</summary>
    public bool Modern { get; init; }

    /// <summary>What a modern request declared in its <c>_meta</c>.</summary>
    public McpRequestMeta? Meta { get; init; }

    /// <summary>What Mandate knows of the upstream (its era), for a POST to an HTTP server.</summary>
    public McpUpstreamProfile Profile { get; init; } = McpUpstreamProfile.Unknown;

    /// <summary>
    /// For a legacy client whose upstream is modern only: the declarations its <c>initialize</c> made (Mandate answered
    /// it and keeps them with the session), added to each request's <c>_meta</c> on the way up.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject? BridgedMeta { get; init; }

    /// <summary>The upstream name written to audit records.</summary>
    public string UpstreamName => "mcp:" + Server.Name;
}
