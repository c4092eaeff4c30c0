namespace Mandate.Server.Configuration;

/// <summary><c>mcp.servers.NAME.protocol</c>: which MCP era Mandate speaks to the server in.</summary>
public enum McpUpstreamEra
{
    /// <summary>Probe: <c>server/discover</c> answered → modern (2026-07-28), else the <c>initialize</c> handshake. The default.</summary>
    Auto,

    /// <summary>Always the <c>initialize</c> handshake (2025-11-25 and earlier), without probing.</summary>
    Legacy,

    /// <summary>Always stateless 2026-07-28 requests, without probing.</summary>
    Modern,
}
