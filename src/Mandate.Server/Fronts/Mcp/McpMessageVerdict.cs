using Mandate.Core.Mcp;
using Mandate.Server.Flow;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>What the flow answered for one client message of a POST, before anything is forwarded.</summary>
public sealed class McpMessageVerdict
{
    /// <summary>The message.</summary>
    public required JsonRpcMessage Message { get; init; }

    /// <summary>How the classifier read it.</summary>
    public required McpClassification Classification { get; init; }

    /// <summary>This message's decision id (the request's own id for the first message, a fresh one for the others of a batch).</summary>
    public required string DecisionId { get; init; }

    /// <summary>What its record names (action, resource, upstream).</summary>
    public required CallSubject Subject { get; init; }

    /// <summary>The decision; replaced when an allowed message of a refused batch becomes a refusal.</summary>
    public required FlowDecision Decision { get; set; }

    /// <summary>The decision's verdict.</summary>
    public Verdict Verdict => Decision.Verdict;
}
