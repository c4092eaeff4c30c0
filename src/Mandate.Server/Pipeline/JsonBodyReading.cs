using System.Text.Json;

namespace Mandate.Server.Pipeline;

/// <summary>
/// A request body read for <c>args: json</c>: the exact bytes received and their parsed root object, or why the
/// body is refused (an HTTP status and a stable code).
/// </summary>
public sealed record JsonBodyReading
{
    private JsonBodyReading(byte[] bytes, JsonElement root, int status, string? code, string? message)
    {
        Bytes = bytes;
        Root = root;
        Status = status;
        ErrorCode = code;
        ErrorMessage = message;
    }

    /// <summary>The body exactly as received (what is forwarded when allowed).</summary>
    public byte[] Bytes { get; }

    /// <summary>The body's root object (a detached clone), when read.</summary>
    public JsonElement Root { get; }

    /// <summary>The status to refuse with (400, 413, 415), when refused.</summary>
    public int Status { get; }

    /// <summary>Stable code (<c>request.bad_json</c>, <c>request.too_large</c>, <c>request.unsupported_media_type</c>), when refused.</summary>
    public string? ErrorCode { get; }

    /// <summary>Message for the caller, when refused.</summary>
    public string? ErrorMessage { get; }

    /// <summary>A body that was read and parsed.</summary>
    public static JsonBodyReading Success(byte[] bytes, JsonElement root) => new(bytes, root, 200, null, null);

    /// <summary>A refused body.</summary>
    public static JsonBodyReading Refused(int status, string code, string message) => new([], default, status, code, message);
}
