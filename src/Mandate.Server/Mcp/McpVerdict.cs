using Mandate.Core.Decisions;
using Mandate.Core.Mcp;

namespace Mandate.Server.Mcp;

/// <summary>What Mandate decided about one client message of a POST, before anything is forwarded.</summary>
public sealed class McpVerdict
{
    /// <summary>The message.</summary>
    public required JsonRpcMessage Message { get; init; }

    /// <summary>How the classifier read it.</summary>
    public required McpClassification Classification { get; init; }

    /// <summary>This message's decision id (the request's own id for the first message, a fresh one for the others of a batch).</summary>
    public required string DecisionId { get; init; }

    /// <summary>True when the message may be forwarded.</summary>
    public required bool Allowed { get; init; }

    /// <summary>Stable code for the audit record: <c>policy.allow</c>, <c>policy.deny</c>, <c>mcp.plumbing</c>, a refusal rule, …</summary>
    public required string Code { get; init; }

    /// <summary>The Cedar action (or, for plumbing, the method as an action id), for the record.</summary>
    public EntityRef? Action { get; init; }

    /// <summary>The resource entity, for the record.</summary>
    public EntityRef? Resource { get; init; }

    /// <summary>Determining policy ids.</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>The <c>@reason</c> texts of the determining policies.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Evaluation errors and refusal details, for the record.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The JSON-RPC error response answering this message when it is not forwarded (null for a notification).</summary>
    public byte[]? ErrorResponse { get; set; }
}
