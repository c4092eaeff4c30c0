using System.Globalization;
using System.Text.Json;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// The <c>x-mcp-header</c> annotations of a tool's input schema (MCP 2026-07-28): an argument reachable through
/// <c>properties</c> only, of a primitive type, mirrored into <c>Mcp-Param-{Header}</c>.
/// </summary>
/// <param name="Header">The header's name part.</param>
/// <param name="Path">The chain of <c>properties</c> keys from the schema root to the argument.</param>
public sealed record McpHeaderParams(string Header, IReadOnlyList<string> Path)
{
    /// <summary>Every annotation of <paramref name="inputSchema"/> reachable through <c>properties</c> only.</summary>
    public static IReadOnlyList<McpHeaderParams> Read(JsonElement inputSchema)
    {
        var found = new List<McpHeaderParams>();
        Walk(inputSchema, [], found, 0);
        return found;
    }

    private static void Walk(JsonElement schema, List<string> path, List<McpHeaderParams> found, int depth)
    {
        if (depth > 32 || schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            path.Add(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("x-mcp-header", out var header) && header.ValueKind == JsonValueKind.String)
            {
                found.Add(new McpHeaderParams(header.GetString()!, path.ToArray()));
            }

            Walk(property.Value, path, found, depth + 1);
            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>The argument at <see cref="Path"/> in <paramref name="arguments"/>; null when absent or JSON null.</summary>
    public JsonElement? ValueIn(JsonElement arguments)
    {
        var current = arguments;
        foreach (var key in Path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    /// <summary>True when the decoded header equals the argument: strings as they are, integers numerically, booleans as <c>true</c>/<c>false</c>.</summary>
    public bool Matches(string? header, JsonElement value) => header is not null && value.ValueKind switch
    {
        JsonValueKind.String => string.Equals(header, value.GetString(), StringComparison.Ordinal),
        JsonValueKind.True => header == "true",
        JsonValueKind.False => header == "false",
        JsonValueKind.Number => decimal.TryParse(header, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var h)
                                && value.TryGetDecimal(out var v) && h == v,
        _ => false,
    };
}
