using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>What Mandate reads from a client's <c>initialize</c>.</summary>
public static class McpInitialize
{
    /// <summary>True when <c>params.capabilities.elicitation.url</c> is present (the client can open a URL a server asks it to, MCP 2025-11-25).</summary>
    public static bool DeclaresUrlElicitation(JsonRpcMessage initialize) =>
        initialize.Params is { ValueKind: JsonValueKind.Object } p
        && p.TryGetProperty("capabilities", out var capabilities) && capabilities.ValueKind == JsonValueKind.Object
        && capabilities.TryGetProperty("elicitation", out var elicitation) && elicitation.ValueKind == JsonValueKind.Object
        && elicitation.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.Object;
}
