namespace Mandate.Core.Mcp;

/// <summary>The MCP protocol versions Mandate understands (the <c>MCP-Protocol-Version</c> header and <c>initialize</c>).</summary>
public static class McpProtocolVersions
{
    /// <summary>The first dated version (HTTP+SSE transport).</summary>
    public const string V20241105 = "2024-11-05";

    /// <summary>Streamable HTTP; the only version with JSON-RPC batches.</summary>
    public const string V20250326 = "2025-03-26";

    /// <summary>Batches removed; <c>MCP-Protocol-Version</c> header required after initialization.</summary>
    public const string V20250618 = "2025-06-18";

    /// <summary>URL-mode elicitation and its <c>URLElicitationRequiredError</c> (-32042); messages read like 2025-06-18's.</summary>
    public const string V20251125 = "2025-11-25";

    /// <summary>The newest known version.</summary>
    public const string Latest = V20250618;

    /// <summary>Every known version, oldest first.</summary>
    public static IReadOnlyList<string> All { get; } = [V20241105, V20250326, V20250618];

    /// <summary>True when <paramref name="version"/> is exactly one of <see cref="All"/> (ordinal).</summary>
    public static bool IsKnown(string? version) => version is V20241105 or V20250326 or V20250618;

    /// <summary>True from 2025-11-25 on: the client may be answered <c>URLElicitationRequiredError</c> when it declared URL elicitation.</summary>
    public static bool HasUrlElicitation(string? version) => version is V20251125;

    /// <summary>True only for 2025-03-26: 2024-11-05 predates batching over HTTP and 2025-06-18 removed it.</summary>
    public static bool AllowsBatch(string? version) => version is V20250326;
}
