namespace Mandate.Core.Mcp;

/// <summary>
/// What a JSON-RPC body holds. Either <see cref="Error"/> is set (the body as a whole is refused and
/// <see cref="Messages"/> is empty), or every message of the body is listed in order, each valid or
/// <see cref="JsonRpcMessageKind.Invalid"/> with its own error.
/// </summary>
public sealed class JsonRpcParseResult
{
    private JsonRpcParseResult(bool isBatch, IReadOnlyList<JsonRpcMessage> messages, JsonRpcError? error)
    {
        IsBatch = isBatch;
        Messages = messages;
        Error = error;
        AllValid = error is null && messages.All(m => m.Kind != JsonRpcMessageKind.Invalid);
    }

    /// <summary>True when the body is a JSON array (a batch), even if refused.</summary>
    public bool IsBatch { get; }

    /// <summary>The messages in body order; empty when <see cref="Error"/> is set.</summary>
    public IReadOnlyList<JsonRpcMessage> Messages { get; }

    /// <summary>The error refusing the whole body (parse error, size, depth, duplicate key, batch rules); answered with id null.</summary>
    public JsonRpcError? Error { get; }

    /// <summary>True when the body was read and no message is invalid.</summary>
    public bool AllValid { get; }

    /// <summary>A body holding <paramref name="messages"/>.</summary>
    public static JsonRpcParseResult Success(bool isBatch, IReadOnlyList<JsonRpcMessage> messages) => new(isBatch, messages, null);

    /// <summary>A body refused as a whole.</summary>
    public static JsonRpcParseResult Failure(bool isBatch, JsonRpcError error) => new(isBatch, [], error);
}
