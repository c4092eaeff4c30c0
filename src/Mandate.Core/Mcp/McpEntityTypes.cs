namespace Mandate.Core.Mcp;

/// <summary>Cedar entity types of the MCP vocabulary (schema namespace <c>Mandate</c>).</summary>
public static class McpEntityTypes
{
    /// <summary>Actions: <c>Mandate::Action::"mcp.tools.call"</c>.</summary>
    public const string Action = "Mandate::Action";

    /// <summary>An upstream MCP server, id = its configured name; parent of its tools, resources and prompts.</summary>
    public const string McpServer = "Mandate::McpServer";

    /// <summary>A tool, id = <c>&lt;server&gt;/&lt;tool name&gt;</c>.</summary>
    public const string Tool = "Mandate::Tool";

    /// <summary>A resource, id = <c>&lt;server&gt;/&lt;uri&gt;</c>.</summary>
    public const string McpResource = "Mandate::McpResource";

    /// <summary>A prompt, id = <c>&lt;server&gt;/&lt;prompt name&gt;</c>.</summary>
    public const string Prompt = "Mandate::Prompt";
}
