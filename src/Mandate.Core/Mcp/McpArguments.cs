using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>
/// Tool arguments for <c>context.args</c>. <see cref="Decisions.DecisionContext.Args"/> already converts them
/// literally (no entity escapes; see <see cref="Decisions.CedarJsonValues.ToLiteralValue"/>), so nothing is
/// rewritten here; this only makes the member always present for a tool call.
/// </summary>
public static class McpArguments
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>
    /// The value for <see cref="Decisions.DecisionContext.Args"/>: the arguments object itself, or <c>{}</c> when
    /// the call sent none, so a policy can test <c>context.args has x</c> without first testing <c>context has args</c>.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="args"/> is not an object (the classifier refuses those first).</exception>
    public static JsonElement ToCedarJson(JsonElement? args) => args switch
    {
        null => EmptyObject,
        { ValueKind: JsonValueKind.Object } value => value,
        _ => throw new ArgumentException("tool arguments must be a json object", nameof(args)),
    };
}
