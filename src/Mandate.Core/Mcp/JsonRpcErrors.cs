using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>
/// Writes JSON-RPC error responses. The error's <c>data</c> is always an object whose first member is
/// <c>rule</c> (the stable code), followed by the members of the caller's data object, if any.
/// </summary>
public static class JsonRpcErrors
{
    /// <summary>Writer settings for everything Mandate writes on the MCP path: compact, non-ASCII left as UTF-8.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes <c>{"jsonrpc":"2.0","id":…,"error":{"code","message","data":{"rule",…}}}</c>.</summary>
    /// <param name="writer">Target writer.</param>
    /// <param name="id">The request's id; null (or the null id) writes <c>"id":null</c>.</param>
    /// <param name="error">Code, message and rule.</param>
    /// <param name="data">Further members for <c>error.data</c>: an object's members are copied (its own <c>rule</c> is
    /// replaced by <paramref name="error"/>'s); any other value goes under <c>detail</c>.</param>
    public static void Write(Utf8JsonWriter writer, JsonRpcId? id, JsonRpcError error, JsonElement? data = null)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        if (id is { } value)
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WritePropertyName("error");
        writer.WriteStartObject();
        writer.WriteNumber("code", error.Code);
        writer.WriteString("message", error.Message);
        writer.WritePropertyName("data");
        writer.WriteStartObject();
        writer.WriteString("rule", error.Rule.Code);
        if (data is { ValueKind: JsonValueKind.Object } members)
        {
            foreach (var member in members.EnumerateObject())
            {
                if (member.NameEquals("rule"))
                {
                    continue; // INVARIANT: one `rule`, the error's own
                }
                member.WriteTo(writer);
            }
        }
        else if (data is { ValueKind: not JsonValueKind.Undefined } other)
        {
            writer.WritePropertyName("detail");
            other.WriteTo(writer);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes one error response to <paramref name="buffer"/>.</summary>
    public static void Write(IBufferWriter<byte> buffer, JsonRpcId? id, JsonRpcError error, JsonElement? data = null)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        Write(writer, id, error, data);
    }

    /// <summary>One error response as UTF-8 bytes.</summary>
    public static byte[] ToBytes(JsonRpcId? id, JsonRpcError error, JsonElement? data = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, id, error, data);
        return buffer.WrittenSpan.ToArray();
    }
}
