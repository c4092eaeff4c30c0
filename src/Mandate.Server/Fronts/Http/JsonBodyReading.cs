using System.Text.Json;
using Mandate.Core.Errors;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// A request body read for <c>args: json</c>: the exact bytes received and their parsed root object, or why the
/// body is refused (an HTTP status and a stable code).
/// </summary>
public sealed record JsonBodyReading
{
    private JsonBodyReading(byte[] bytes, JsonElement root, ErrorCode? code, string? message)
    {
        Bytes = bytes;
        Root = root;
        ErrorCode = code;
        ErrorMessage = message;
    }

    /// <summary>The body exactly as received (what is forwarded when allowed).</summary>
    public byte[] Bytes { get; }

    /// <summary>The body's root object (a detached clone), when read.</summary>
    public JsonElement Root { get; }

    /// <summary>Stable code (<c>request.bad_json</c>, <c>request.too_large</c>, <c>request.unsupported_media_type</c>), when refused.</summary>
    public ErrorCode? ErrorCode { get; }

    /// <summary>Message for the caller, when refused.</summary>
    public string? ErrorMessage { get; }

    /// <summary>A body that was read and parsed.</summary>
    public static JsonBodyReading Success(byte[] bytes, JsonElement root) => new(bytes, root, null, null);

    /// <summary>A refused body.</summary>
    public static JsonBodyReading Refused(ErrorCode code, string message) => new([], default, code, message);
}
