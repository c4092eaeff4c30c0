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
    /// <summary><c>subscriptions/listen</c> (2026-07-28) on the <c>McpServer</c>.</summary>
    public const string SubscriptionsListen = "mcp.subscriptions.listen";

    /// <summary>The server asks the client's model for a completion (<c>sampling/createMessage</c>), on the <c>McpServer</c>.</summary>
    public const string SamplingCreateMessage = "mcp.sampling.create_message";
    /// <summary>The server asks the client's user for input (<c>elicitation/create</c>), on the <c>McpServer</c>.</summary>
    public const string ElicitationCreate = "mcp.elicitation.create";
    /// <summary>The server asks for the client's roots (<c>roots/list</c>), on the <c>McpServer</c>.</summary>
    public const string RootsList = "mcp.roots.list";

    /// <summary>The action deciding a request the server sends to the client, by its method; null for a method no client answers.</summary>
    public static string? ForServerRequest(string method) => method switch
    {
        McpMethods.SamplingCreateMessage => SamplingCreateMessage,
        McpMethods.ElicitationCreate => ElicitationCreate,
        McpMethods.RootsList => RootsList,
        _ => null,
    };
}
