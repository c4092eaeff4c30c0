namespace Mandate.Core.Mcp;

/// <summary>A list answer whose items the gateway filters down to what the caller may use.</summary>
public enum McpListKind
{
    /// <summary><c>tools/list</c>: <c>result.tools[]</c>, keyed by <c>name</c>.</summary>
    Tools,

    /// <summary><c>resources/list</c>: <c>result.resources[]</c>, keyed by <c>uri</c>.</summary>
    Resources,

    /// <summary><c>resources/templates/list</c>: <c>result.resourceTemplates[]</c>, keyed by <c>uriTemplate</c>.</summary>
    ResourceTemplates,

    /// <summary><c>prompts/list</c>: <c>result.prompts[]</c>, keyed by <c>name</c>.</summary>
    Prompts,
}
