using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>
/// One JSON-RPC message of a body, as read by <see cref="JsonRpcParser"/>. The JSON members are detached
/// copies (safe to keep); <see cref="Raw"/> is the exact bytes the client sent for this message, so an allowed
/// message can be forwarded unchanged.
/// </summary>
public sealed class JsonRpcMessage
{
    /// <summary>Request, notification, response, or invalid.</summary>
    public required JsonRpcMessageKind Kind { get; init; }

    /// <summary>The id, when the message has a readable one (also on an invalid message, so the error can echo it).</summary>
    public JsonRpcId? Id { get; init; }

    /// <summary>The method (decoded, compared ordinally; never trimmed or case-folded) of a request or notification.</summary>
    public string? Method { get; init; }

    /// <summary><c>params</c> (always an object) of a request or notification, when present.</summary>
    public JsonElement? Params { get; init; }

    /// <summary><c>result</c> of a response.</summary>
    public JsonElement? Result { get; init; }

    /// <summary><c>error</c> of a response (an object with an integer <c>code</c> and a string <c>message</c>).</summary>
    public JsonElement? ResponseError { get; init; }

    /// <summary>The exact bytes of this message within the body (no surrounding whitespace).</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>Why the message is <see cref="JsonRpcMessageKind.Invalid"/>; null otherwise.</summary>
    public JsonRpcError? Error { get; init; }

    /// <summary>True for a request or a notification.</summary>
    public bool IsCall => Kind is JsonRpcMessageKind.Request or JsonRpcMessageKind.Notification;
}
