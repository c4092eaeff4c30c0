using System.Buffers;
using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>
/// Rewrites a list answer (<c>tools/list</c>, <c>resources/list</c>, <c>resources/templates/list</c>,
/// <c>prompts/list</c>) so it holds only the items the caller may use. Every other member of the result
/// (<c>nextCursor</c>, <c>_meta</c>, …) is copied unchanged. Items without a readable key are dropped (fail closed).
/// </summary>
public static class McpListFilter
{
    /// <summary>The result member holding the items of <paramref name="kind"/>.</summary>
    public static string ArrayMember(McpListKind kind) => kind switch
    {
        McpListKind.Tools => "tools",
        McpListKind.Resources => "resources",
        McpListKind.ResourceTemplates => "resourceTemplates",
        McpListKind.Prompts => "prompts",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The item member naming it: <c>name</c> (tools, prompts), <c>uri</c> (resources), <c>uriTemplate</c> (templates).</summary>
    public static string KeyMember(McpListKind kind) => kind switch
    {
        McpListKind.Tools or McpListKind.Prompts => "name",
        McpListKind.Resources => "uri",
        McpListKind.ResourceTemplates => "uriTemplate",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// Returns <paramref name="listResult"/> (the response's <c>result</c> object) as UTF-8 JSON with the item array
    /// reduced to the items <paramref name="keep"/> accepts (called with the item's key and the item).
    /// A result that is not an object becomes <c>{}</c>; an item array that is not an array becomes empty.
    /// </summary>
    public static byte[] Filter(JsonElement listResult, McpListKind kind, Func<string, JsonElement, bool> keep)
    {
        var arrayName = ArrayMember(kind);
        var keyName = KeyMember(kind);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonRpcErrors.WriterOptions))
        {
            writer.WriteStartObject();
            if (listResult.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in listResult.EnumerateObject())
                {
                    if (!member.NameEquals(arrayName))
                    {
                        member.WriteTo(writer);
                        continue;
                    }
                    writer.WriteStartArray(arrayName);
                    if (member.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in member.Value.EnumerateArray())
                        {
                            if (item.ValueKind == JsonValueKind.Object &&
                                item.TryGetProperty(keyName, out var key) && key.ValueKind == JsonValueKind.String &&
                                keep(key.GetString()!, item))
                            {
                                item.WriteTo(writer);
                            }
                        }
                    }
                    writer.WriteEndArray();
                }
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
