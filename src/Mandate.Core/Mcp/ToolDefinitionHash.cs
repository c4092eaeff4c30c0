using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Mandate.Core.Audit;

namespace Mandate.Core.Mcp;

/// <summary>
/// The fingerprint of a tool definition, for pinning (a server that silently changes what a tool says it does
/// is a "rug pull"). SHA-256, lowercase hex, over canonical JSON of the members that tell a model what the tool
/// is: <c>name</c>, <c>title</c>, <c>description</c>, <c>inputSchema</c>, <c>outputSchema</c>, <c>annotations</c>
/// (each when present and not null). Canonical: object keys sorted ordinally at every level, no whitespace,
/// strings re-escaped one way, numbers as written. So key order and escaping never change the hash; any change
/// of content does. Other members (<c>_meta</c>, icons) are left out: they do not instruct the model.
/// </summary>
public static class ToolDefinitionHash
{
    private const int MaxDepth = 128;

    /// <summary>Members covered by the hash.</summary>
    public static IReadOnlyList<string> CoveredMembers { get; } = ["annotations", "description", "inputSchema", "name", "outputSchema", "title"];

    /// <summary>Computes the fingerprint of <paramref name="toolDefinition"/> (one item of <c>tools/list</c>).</summary>
    /// <exception cref="ArgumentException">When the definition is not an object, or nests deeper than 128 levels.</exception>
    public static string Compute(JsonElement toolDefinition) => Convert.ToHexStringLower(SHA256.HashData(CanonicalBytes(toolDefinition)));

    /// <summary>The canonical JSON the hash is computed over (useful to show an administrator what changed).</summary>
    public static byte[] CanonicalBytes(JsonElement toolDefinition)
    {
        if (toolDefinition.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("a tool definition must be a json object", nameof(toolDefinition));
        }
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJsonWriter.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var name in CoveredMembers) // already in ordinal order
            {
                if (toolDefinition.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                {
                    writer.WritePropertyName(name);
                    WriteCanonical(writer, value, 1);
                }
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"a tool definition nests deeper than {MaxDepth} levels");
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in value.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(member.Name);
                    WriteCanonical(writer, member.Value, depth + 1);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(writer, item, depth + 1);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(value.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(value.GetRawText());
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
