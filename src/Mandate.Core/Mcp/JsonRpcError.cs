namespace Mandate.Core.Mcp;

/// <summary>A JSON-RPC error as a value: the numeric code, a short message for a person, and the stable rule code.</summary>
/// <param name="Code">JSON-RPC error code (<see cref="JsonRpcErrorCodes"/>).</param>
/// <param name="Message">Short lowercase text naming the input in backticks.</param>
/// <param name="Rule">Stable rule code (<see cref="JsonRpcRules"/>), sent as <c>error.data.rule</c>.</param>
public sealed record JsonRpcError(int Code, string Message, string Rule)
{
    /// <inheritdoc />
    public override string ToString() => $"{Rule} ({Code}): {Message}";
}
