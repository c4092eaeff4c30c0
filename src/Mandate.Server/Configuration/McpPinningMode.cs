namespace Mandate.Server.Configuration;

/// <summary><c>mcp.servers.NAME.pinning</c>: what a changed tool definition ("rug pull") leads to until an admin accepts it.</summary>
public enum McpPinningMode
{
    /// <summary>The tool stays listed, but every call to it is denied (<c>mcp.tool_changed</c>). The default.</summary>
    Deny,

    /// <summary>The tool is removed from <c>tools/list</c> answers and calls to it are denied.</summary>
    Hide,

    /// <summary>Definitions are not pinned.</summary>
    Off,
}
