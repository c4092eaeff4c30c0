using System.Text.Json;
using Mandate.Core.Errors;

namespace Mandate.Core.Mcp;

/// <summary>
/// What a modern (2026-07-28) request declares about itself in <c>params._meta</c>: its protocol version, the client's
/// capabilities and identity, its log level. Read strictly: a reserved key of the wrong type, or a key under a reserved
/// MCP prefix that Mandate does not know, refuses the request (a gateway never passes on what it cannot read).
/// </summary>
public sealed record McpRequestMeta
{
    private static readonly string[] LogLevels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

    /// <summary><c>io.modelcontextprotocol/protocolVersion</c>, when present.</summary>
    public string? ProtocolVersion { get; init; }

    /// <summary><c>io.modelcontextprotocol/clientCapabilities</c> (an object), when present.</summary>
    public JsonElement? ClientCapabilities { get; init; }

    /// <summary><c>io.modelcontextprotocol/clientInfo</c> (an object with string <c>name</c> and <c>version</c>), when present.</summary>
    public JsonElement? ClientInfo { get; init; }

    /// <summary><c>io.modelcontextprotocol/logLevel</c>, when present.</summary>
    public string? LogLevel { get; init; }

    /// <summary>True when the client declared URL-mode elicitation (<c>clientCapabilities.elicitation.url</c>).</summary>
    public bool DeclaresUrlElicitation =>
        ClientCapabilities is { ValueKind: JsonValueKind.Object } c
        && c.TryGetProperty("elicitation", out var e) && e.ValueKind == JsonValueKind.Object
        && e.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.Object;

    /// <summary>True when the message's <c>_meta</c> names a protocol version (the mark of a modern request).</summary>
    public static bool DeclaresVersion(JsonRpcMessage message) =>
        Meta(message) is { } meta && meta.TryGetProperty(McpMetaKeys.ProtocolVersion, out _);

    /// <summary>
    /// Reads the message's <c>_meta</c>. <paramref name="error"/> is set when a reserved key has the wrong type, an
    /// unknown key uses a reserved prefix, or (with <paramref name="requireModern"/>) a required key is missing.
    /// </summary>
    public static McpRequestMeta Read(JsonRpcMessage message, bool requireModern, out JsonRpcError? error)
    {
        error = null;
        var result = new McpRequestMeta();
        if (message.Params is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("_meta", out var metaElement) && metaElement.ValueKind != JsonValueKind.Object)
        {
            error = Bad("`params._meta` must be an object");
            return result;
        }

        if (Meta(message) is { } meta)
        {
            foreach (var member in meta.EnumerateObject())
            {
                var name = member.Name;
                var value = member.Value;
                switch (name)
                {
                    case McpMetaKeys.ProtocolVersion when value.ValueKind == JsonValueKind.String:
                        result = result with { ProtocolVersion = value.GetString() };
                        break;
                    case McpMetaKeys.ClientCapabilities when value.ValueKind == JsonValueKind.Object:
                        result = result with { ClientCapabilities = value };
                        break;
                    case McpMetaKeys.ClientInfo when IsImplementation(value):
                        result = result with { ClientInfo = value };
                        break;
                    case McpMetaKeys.LogLevel when value.ValueKind == JsonValueKind.String && Array.IndexOf(LogLevels, value.GetString()) >= 0:
                        result = result with { LogLevel = value.GetString() };
                        break;
                    case McpMetaKeys.ProgressToken when value.ValueKind is JsonValueKind.String or JsonValueKind.Number:
                    case "traceparent" or "tracestate" or "baggage" when value.ValueKind == JsonValueKind.String:
                        break;
                    default:
                        if (McpMetaKeys.ClientKeys.Contains(name))
                        {
                            error = Bad($"`_meta.{Shorten(name)}` has the wrong type");
                            return result;
                        }

                        if (IsReservedPrefix(name))
                        {
                            error = Bad($"`_meta.{Shorten(name)}` is a reserved key mandate does not know");
                            return result;
                        }

                        break;
                }
            }
        }

        if (requireModern && result.ProtocolVersion is null)
        {
            error = Bad($"`_meta.{McpMetaKeys.ProtocolVersion}` is required");
        }
        else if (requireModern && result.ClientCapabilities is null)
        {
            error = Bad($"`_meta.{McpMetaKeys.ClientCapabilities}` is required");
        }

        return result;
    }

    /// <summary>
    /// True for a key whose prefix is reserved for MCP: the prefix's second label is <c>modelcontextprotocol</c> or
    /// <c>mcp</c> (<c>io.modelcontextprotocol/</c>, <c>dev.mcp/</c>).
    /// </summary>
    public static bool IsReservedPrefix(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var labels = key[..slash].Split('.');
        return labels.Length >= 2 && labels[1] is "modelcontextprotocol" or "mcp";
    }

    private static JsonElement? Meta(JsonRpcMessage message) =>
        message.Params is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("_meta", out var meta) && meta.ValueKind == JsonValueKind.Object ? meta : null;

    private static bool IsImplementation(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
        && value.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String;

    private static JsonRpcError Bad(string message) => new(ErrorCatalogue.McpMeta, message);

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
