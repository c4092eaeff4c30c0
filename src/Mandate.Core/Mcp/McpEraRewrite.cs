using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mandate.Core.Mcp;

/// <summary>
/// Rewrites single messages between the MCP eras, for a client of one era talking through Mandate to a server of the
/// other: a modern request loses its per-request protocol keys (a legacy server learned them in <c>initialize</c>), a
/// legacy request gains them (a modern server reads nothing from a handshake), and results get the members a modern
/// client relies on. Only the members named are touched; everything else is kept as sent.
/// </summary>
public static class McpEraRewrite
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JsonRpcErrors.WriterOptions.Encoder };

    /// <summary>A modern request for a legacy server: the reserved per-request keys removed from <c>params._meta</c> (and <c>_meta</c> if it ends up empty).</summary>
    public static byte[] ToLegacyRequest(ReadOnlyMemory<byte> message)
    {
        var node = JsonNode.Parse(message.Span)!.AsObject();
        if (node["params"] is JsonObject p && p["_meta"] is JsonObject meta)
        {
            foreach (var key in meta.Select(m => m.Key).Where(McpRequestMeta.IsReservedPrefix).ToList())
            {
                meta.Remove(key);
            }

            if (meta.Count == 0)
            {
                p.Remove("_meta");
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, Options);
    }

    /// <summary>A legacy request for a modern server: <paramref name="meta"/>'s keys set in <c>params._meta</c> (created when absent).</summary>
    public static byte[] ToModernRequest(ReadOnlyMemory<byte> message, JsonObject meta)
    {
        var node = JsonNode.Parse(message.Span)!.AsObject();
        if (node["params"] is not JsonObject p)
        {
            p = new JsonObject();
            node["params"] = p;
        }

        if (p["_meta"] is not JsonObject target)
        {
            target = new JsonObject();
            p["_meta"] = target;
        }

        foreach (var (key, value) in meta)
        {
            target[key] = value?.DeepClone();
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, Options);
    }

    /// <summary>
    /// A result for a modern client: <c>resultType: "complete"</c> when the server (a legacy one) gave none, and, for a
    /// cacheable result (<paramref name="cacheable"/>), the caching hints Mandate owns: <c>cacheScope: "private"</c> and
    /// <c>ttlMs: 0</c>. Null when the message is not a response with an object result (it is relayed as it is).
    /// </summary>
    public static byte[]? ForModernClient(ReadOnlySpan<byte> message, bool cacheable)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(message, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return null;
        }

        if (node is not JsonObject o || o["result"] is not JsonObject result)
        {
            return null;
        }

        if (result["resultType"] is null)
        {
            result["resultType"] = "complete";
        }

        if (cacheable && result["resultType"]?.GetValueKind() == JsonValueKind.String && result["resultType"]!.GetValue<string>() == "complete")
        {
            // INVARIANT: a list Mandate filtered is the caller's own; it must never be served to another caller, and a
            // policy reload or a revocation must show on the next request, so nobody may keep it fresh.
            result["cacheScope"] = "private";
            result["ttlMs"] = 0;
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, Options);
    }

    /// <summary>True when <paramref name="method"/>'s results carry caching hints (2026-07-28 <c>CacheableResult</c>).</summary>
    public static bool IsCacheable(string? method) => method is McpMethods.ToolsList or McpMethods.PromptsList or McpMethods.ResourcesList
        or McpMethods.ResourcesTemplatesList or McpMethods.ResourcesRead or McpMethods.ServerDiscover;
}
