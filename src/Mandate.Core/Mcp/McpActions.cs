namespace Mandate.Core.Mcp;

/// <summary>Cedar action ids of MCP calls (entity type <see cref="McpEntityTypes.Action"/>).</summary>
public static class McpActions
{
    /// <summary><c>tools/call</c> on a <c>Tool</c>.</summary>
    public const string ToolsCall = "mcp.tools.call";
    /// <summary><c>tools/list</c> on the <c>McpServer</c>.</summary>
    public const string ToolsList = "mcp.tools.list";
    /// <summary><c>resources/read</c> on an <c>McpResource</c>.</summary>
    public const string ResourcesRead = "mcp.resources.read";
    /// <summary><c>resources/subscribe</c> on an <c>McpResource</c>.</summary>
    public const string ResourcesSubscribe = "mcp.resources.subscribe";
    /// <summary><c>resources/list</c> on the <c>McpServer</c>.</summary>
    public const string ResourcesList = "mcp.resources.list";
    /// <summary><c>resources/templates/list</c> on the <c>McpServer</c>.</summary>
    public const string ResourcesTemplatesList = "mcp.resources.templates.list";
    /// <summary><c>prompts/get</c> on a <c>Prompt</c>.</summary>
    public const string PromptsGet = "mcp.prompts.get";
    /// <summary><c>prompts/list</c> on the <c>McpServer</c>.</summary>
    public const string PromptsList = "mcp.prompts.list";
    /// <summary><c>completion/complete</c> on the <c>McpServer</c>.</summary>
    public const string CompletionComplete = "mcp.completion.complete";
    /// <summary><c>logging/setLevel</c> on the <c>McpServer</c>.</summary>
    public const string LoggingSetLevel = "mcp.logging.set_level";
}
