using System.Buffers;
using System.Text.Json;
using Mandate.Core.Mcp;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Replaces the top-level <c>id</c> of one JSON-RPC message. Used for stdio servers, where many HTTP clients share
/// no id space with the process: Mandate sends its own ids and gives each answer back the client's id.
/// </summary>
public static class JsonRpcIdRewrite
{
    /// <summary>The message with its id replaced by <paramref name="idJson"/> (raw JSON: a string literal or an integer).</summary>
    public static byte[] WithId(ReadOnlyMemory<byte> message, string idJson)
    {
        using var document = JsonDocument.Parse(message);
        var buffer = new ArrayBufferWriter<byte>(message.Length + 16);
        using (var w = new Utf8JsonWriter(buffer, JsonRpcErrors.WriterOptions))
        {
            w.WriteStartObject();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (member.NameEquals("id"))
                {
                    w.WritePropertyName("id");
                    w.WriteRawValue(idJson, skipInputValidation: false);
                }
                else
                {
                    member.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
