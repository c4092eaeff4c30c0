using System.Collections.Concurrent;
using System.Text.Json;
using Mandate.Core.Mcp.ToolArguments;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// The last definition of each tool an upstream listed (through Mandate). A <c>tools/call</c> is checked against
/// the pin with this definition, and an administrator accepting a change accepts exactly this definition. The
/// argument types of each tool (from its <c>inputSchema</c>) are kept beside it, also from the list Mandate's era
/// probe asks for, so a call is type-checked even before any client listed the tools.
/// </summary>
public sealed class McpToolRegistry
{
    private readonly ConcurrentDictionary<(string Server, string Tool), JsonElement> _seen = new();
    private readonly ConcurrentDictionary<(string Server, string Tool), McpArgumentSchema> _arguments = new();

    /// <summary>Remembers a tool definition (a detached copy) and its argument types.</summary>
    public void Remember(string server, string tool, JsonElement definition)
    {
        _seen[(server, tool)] = definition.Clone();
        RememberArguments(server, tool, definition);
    }

    /// <summary>Remembers the argument types of every tool of a <c>tools/list</c> result (the result object).</summary>
    public void RememberArguments(string server, JsonElement listResult)
    {
        if (listResult.ValueKind == JsonValueKind.Object && listResult.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                {
                    RememberArguments(server, n.GetString()!, tool);
                }
            }
        }
    }

    /// <summary>The last definition seen, if the tool was ever listed.</summary>
    public JsonElement? LastSeen(string server, string tool) => _seen.TryGetValue((server, tool), out var d) ? d : null;

    /// <summary>The argument types of <paramref name="tool"/>, if its definition was seen.</summary>
    public McpArgumentSchema? Arguments(string server, string tool) => _arguments.TryGetValue((server, tool), out var a) ? a : null;

    /// <summary>The argument types of every tool of <paramref name="server"/> seen so far.</summary>
    public IReadOnlyDictionary<string, McpArgumentSchema> ArgumentsOf(string server) =>
        _arguments.Where(a => a.Key.Server == server).ToDictionary(a => a.Key.Tool, a => a.Value, StringComparer.Ordinal);

    private void RememberArguments(string server, string tool, JsonElement definition)
    {
        // Parsed once per definition, not per call. A definition without an object inputSchema has no types to check.
        if (definition.ValueKind == JsonValueKind.Object && definition.TryGetProperty("inputSchema", out var schema) && schema.ValueKind == JsonValueKind.Object)
        {
            _arguments[(server, tool)] = McpArgumentSchema.Read(schema);
        }
        else
        {
            _arguments.TryRemove((server, tool), out _);
        }
    }
}
