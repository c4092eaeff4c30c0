using System.Text.Json;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// What a probe learned about an upstream MCP server: the era it speaks (<c>server/discover</c> answered → modern;
/// otherwise the <c>initialize</c> handshake → legacy), and what it declares about itself (capabilities, identity,
/// instructions). Mandate speaks to the upstream in its era and translates when the client's era differs.
/// </summary>
/// <param name="Modern">True when the upstream serves 2026-07-28 requests.</param>
/// <param name="LegacyVersion">The legacy version the upstream negotiated in <c>initialize</c> (null for a modern-only one).</param>
/// <param name="Capabilities">The upstream's declared capabilities (an object), or null when unknown.</param>
/// <param name="ServerInfo">The upstream's <c>serverInfo</c> (name, version), or null.</param>
/// <param name="Instructions">The upstream's instructions, or null.</param>
public sealed record McpUpstreamProfile(bool Modern, string? LegacyVersion, JsonElement? Capabilities, JsonElement? ServerInfo, string? Instructions)
{
    /// <summary>What is assumed of an upstream that could not be probed: legacy (the handshake every server before 2026 speaks), nothing declared.</summary>
    public static McpUpstreamProfile Unknown { get; } = new(false, Mandate.Core.Mcp.McpProtocolVersions.LatestLegacy, null, null, null);

    /// <summary>True when the upstream declared the capability <paramref name="name"/> (<c>tools</c>, <c>prompts</c>, …).</summary>
    public bool Declares(string name) => Capabilities is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty(name, out _);
}
