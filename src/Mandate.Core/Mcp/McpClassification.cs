using System.Text.Json;
using Mandate.Core.Decisions;

namespace Mandate.Core.Mcp;

/// <summary>What one client message asks for, as <see cref="McpCallClassifier"/> read it.</summary>
public sealed record McpClassification
{
    /// <summary>Decide, plumbing, refused, or a client response.</summary>
    public required McpCallKind Kind { get; init; }

    /// <summary>The JSON-RPC method, when the message has one.</summary>
    public string? Method { get; init; }

    /// <summary>The Cedar action id (e.g. <c>mcp.tools.call</c>) for <see cref="McpCallKind.Decide"/>; see <see cref="McpActions"/>.</summary>
    public string? Action { get; init; }

    /// <summary>The Cedar action entity <c>Mandate::Action::"&lt;Action&gt;"</c>, for <see cref="McpCallKind.Decide"/>.</summary>
    public EntityRef? ActionEntity => Action is null ? null : new EntityRef(McpEntityTypes.Action, Action);

    /// <summary>The resource entity for <see cref="McpCallKind.Decide"/>.</summary>
    public ResourceDescriptor? Resource { get; init; }

    /// <summary><c>params.arguments</c> of <c>tools/call</c> and <c>prompts/get</c> (always an object), when present.</summary>
    public JsonElement? Arguments { get; init; }

    /// <summary>The tool name of <c>tools/call</c>.</summary>
    public string? ToolName { get; init; }

    /// <summary>For list methods: the answer's items must be filtered (<see cref="McpListFilter"/>).</summary>
    public McpListKind? FilterResult { get; init; }

    /// <summary>Why the message is <see cref="McpCallKind.Refused"/>.</summary>
    public JsonRpcError? Error { get; init; }
}
