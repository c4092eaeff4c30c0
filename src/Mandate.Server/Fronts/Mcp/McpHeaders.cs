namespace Mandate.Server.Fronts.Mcp;

/// <summary>The MCP Streamable HTTP headers Mandate reads or passes on.</summary>
public static class McpHeaders
{
    /// <summary>The upstream-issued session id.</summary>
    public const string SessionId = "Mcp-Session-Id";

    /// <summary>The negotiated protocol version (2025-06-18 and later).</summary>
    public const string ProtocolVersion = "MCP-Protocol-Version";

    /// <summary>The JSON-RPC method, repeated in a header by newer clients so intermediaries can route on it.</summary>
    public const string Method = "Mcp-Method";

    /// <summary>The tool, prompt or resource name, repeated in a header by newer clients.</summary>
    public const string Name = "Mcp-Name";

    /// <summary>Resumes an SSE stream.</summary>
    public const string LastEventId = "Last-Event-ID";

    /// <summary>
    /// Protocol versions accepted in <see cref="ProtocolVersion"/>: those <c>Mandate.Core.Mcp.McpProtocolVersions</c>
    /// knows, plus 2025-11-25, which the official SDK negotiates by default and whose messages the classifier reads
    /// like 2025-06-18 (no batches; unknown members and methods are refused there).
    /// </summary>
    public static bool IsAcceptedVersion(string version) =>
        Mandate.Core.Mcp.McpProtocolVersions.IsKnown(version) || version == "2025-11-25";
}
