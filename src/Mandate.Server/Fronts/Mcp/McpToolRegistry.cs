using System.Collections.Concurrent;
using System.Text.Json;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// The last definition of each tool an upstream listed (through Mandate). A <c>tools/call</c> is checked against
/// the pin with this definition, and an administrator accepting a change accepts exactly this definition.
/// </summary>
public sealed class McpToolRegistry
{
    private readonly ConcurrentDictionary<(string Server, string Tool), JsonElement> _seen = new();

    /// <summary>Remembers a tool definition (a detached copy).</summary>
    public void Remember(string server, string tool, JsonElement definition) => _seen[(server, tool)] = definition.Clone();

    /// <summary>The last definition seen, if the tool was ever listed.</summary>
    public JsonElement? LastSeen(string server, string tool) => _seen.TryGetValue((server, tool), out var d) ? d : null;
}
