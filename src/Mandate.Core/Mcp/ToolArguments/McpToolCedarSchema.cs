using System.Text;

namespace Mandate.Core.Mcp.ToolArguments;

/// <summary>
/// The Cedar schema text of one MCP server's tool arguments: a common type per tool (<c>context.args</c> of
/// <c>mcp.tools.call</c> on <c>Mandate::Tool::"SERVER/TOOL"</c>), with what could not be mapped named in comments.
/// The types can be pasted into a deployment's schema; Mandate itself checks calls and policies against them.
/// </summary>
public static class McpToolCedarSchema
{
    /// <summary>The Cedar type name for <paramref name="tool"/>'s arguments on <paramref name="server"/>.</summary>
    public static string TypeName(string server, string tool)
    {
        var name = new StringBuilder("Args_");
        foreach (var c in server + "__" + tool)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return name.ToString();
    }

    /// <summary>The schema text for <paramref name="tools"/> (name → argument schema) of <paramref name="server"/>.</summary>
    public static string Render(string server, IEnumerable<KeyValuePair<string, McpArgumentSchema>> tools)
    {
        var text = new StringBuilder();
        text.Append("// The argument types of mcp server `").Append(server).Append("`, from each tool's inputSchema.\n");
        text.Append("// A call to Mandate::Tool::\"").Append(server).Append("/TOOL\" (Mandate::Action::\"mcp.tools.call\") has context.args of its type.\n");
        text.Append("namespace Mandate {\n");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tool, schema) in tools.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var name = TypeName(server, tool);
            for (var i = 2; !used.Add(name); i++)
            {
                name = TypeName(server, tool) + "_" + i;
            }

            text.Append("  // tool `").Append(Comment(tool)).Append("`\n");
            foreach (var line in schema.Unmapped)
            {
                text.Append("  //   not mapped: ").Append(Comment(line)).Append('\n');
            }

            text.Append("  type ").Append(name).Append(" = ").Append(Type(schema.Root)).Append(";\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>The Cedar type of <paramref name="type"/> (a record for an unmapped root, so the type is always usable).</summary>
    public static string Type(McpArgumentType type) => type.Kind switch
    {
        McpArgumentKind.String => "String",
        McpArgumentKind.Long => "Long",
        McpArgumentKind.Bool => "Bool",
        McpArgumentKind.Set => "Set<" + Type(type.Element!) + ">",
        McpArgumentKind.Record => "{" + string.Join(", ", type.Attributes.Where(a => a.Type.IsMapped)
            .Select(a => Quote(a.Name) + (a.Required ? "" : "?") + ": " + Type(a.Type))) + "}",
        _ => "{}",
    };

    private static string Quote(string name) =>
        "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // A comment ends at the line's end: nothing a server named can start a new line of schema.
    private static string Comment(string text) => new(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
