using Mandate.Core.Errors;

namespace Mandate.Core.Mcp;

/// <summary>
/// A JSON-RPC error as a value: the stable rule (its catalogue entry gives the numeric JSON-RPC code, so the two
/// cannot disagree) and a short message for a person.
/// </summary>
/// <param name="Rule">The stable code, sent as <c>error.data.rule</c>.</param>
/// <param name="Message">Short lowercase text naming the input in backticks.</param>
public sealed record JsonRpcError(ErrorCode Rule, string Message)
{
    /// <summary>The JSON-RPC error code (<see cref="JsonRpcErrorCodes"/>): the rule's, or internal error for a rule MCP never answers with.</summary>
    public int Code => Rule.JsonRpc ?? JsonRpcErrorCodes.InternalError;

    /// <inheritdoc />
    public override string ToString() => $"{Rule.Code} ({Code}): {Message}";
}
