using System.Text;
using System.Text.Json;
using Mandate.Core.Mcp;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// The headers a Streamable HTTP POST mirrors from its body (<c>MCP-Protocol-Version</c>, <c>Mcp-Method</c>,
/// <c>Mcp-Name</c>, <c>Mcp-Param-*</c>), checked against the body Mandate decides on: an intermediary or server that
/// routes on a header must see the call that was decided. Under 2026-07-28 they are required; under a legacy version
/// they are optional but must match when present. Values in the Base64 sentinel form (<c>=?base64?…?=</c>) are decoded
/// before the comparison.
/// </summary>
public static class McpMirroredHeaders
{
    /// <summary>The prefix of headers mirroring tool arguments (<c>x-mcp-header</c> in a tool's input schema).</summary>
    public const string ParamPrefix = "Mcp-Param-";

    /// <summary>
    /// Why the headers do not match <paramref name="parsed"/>, or null when they do. <paramref name="modern"/> makes
    /// the version, method and (for named calls) name headers required; <paramref name="toolSchema"/> is the called
    /// tool's input schema, when known, for the <c>Mcp-Param-*</c> headers.
    /// </summary>
    public static string? Mismatch(HttpContext context, JsonRpcParseResult parsed, string serverName, bool modern, string? metaVersion, JsonElement? toolSchema)
    {
        var headers = context.Request.Headers;
        var version = headers[McpHeaders.ProtocolVersion];
        var method = headers[McpHeaders.Method];
        var name = headers[McpHeaders.Name];
        if (!modern && method.Count == 0 && name.Count == 0)
        {
            return null;
        }

        if (parsed.IsBatch || parsed.Messages.Count != 1 || method.Count > 1 || name.Count > 1 || version.Count > 1)
        {
            return $"{McpHeaders.Method} and {McpHeaders.Name} are allowed once, with a single message";
        }

        var message = parsed.Messages[0];
        if (modern && (version.Count == 0 || !string.Equals(version[0], metaVersion, StringComparison.Ordinal)))
        {
            return $"{McpHeaders.ProtocolVersion} must be present and equal `_meta.{McpMetaKeys.ProtocolVersion}`";
        }

        if (modern && method.Count == 0)
        {
            return $"{McpHeaders.Method} is required";
        }

        if (method.Count == 1 && !string.Equals(method[0], message.Method, StringComparison.Ordinal))
        {
            return $"{McpHeaders.Method} does not match the message's method";
        }

        var expected = NamedValue(message);
        if (modern && expected is not null && name.Count == 0)
        {
            return $"{McpHeaders.Name} is required for `{message.Method}`";
        }

        if (name.Count == 1 && !string.Equals(Decode(name[0]), expected, StringComparison.Ordinal))
        {
            return $"{McpHeaders.Name} does not match the message's name";
        }

        return message.Method == McpMethods.ToolsCall ? ParamMismatch(headers, message, toolSchema) : null;
    }

    /// <summary>
    /// The value of a header in the Base64 sentinel form decoded (UTF-8), the value itself otherwise, or null when the
    /// sentinel form holds no valid Base64 or UTF-8 (which then matches nothing).
    /// </summary>
    public static string? Decode(string? value)
    {
        if (value is null || !value.StartsWith("=?base64?", StringComparison.Ordinal) || !value.EndsWith("?=", StringComparison.Ordinal) || value.Length < 11)
        {
            return value;
        }

        var encoded = value["=?base64?".Length..^2];
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    // params.name of tools/call and prompts/get, params.uri of resources/read: what Mcp-Name mirrors.
    private static string? NamedValue(JsonRpcMessage message)
    {
        var member = message.Method switch
        {
            McpMethods.ToolsCall or McpMethods.PromptsGet => "name",
            McpMethods.ResourcesRead => "uri",
            _ => null,
        };
        return member is not null && message.Params is { ValueKind: JsonValueKind.Object } p &&
               p.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }

    private static string? ParamMismatch(IHeaderDictionary headers, JsonRpcMessage message, JsonElement? toolSchema)
    {
        var annotated = toolSchema is { } schema ? McpHeaderParams.Read(schema) : [];
        var arguments = message.Params is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("arguments", out var a) ? a : default;
        var expectedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var param in annotated)
        {
            expectedNames.Add(ParamPrefix + param.Header);
            var value = param.ValueIn(arguments);
            var header = headers[ParamPrefix + param.Header];
            if (header.Count > 1)
            {
                return $"{ParamPrefix}{param.Header} is allowed once";
            }

            if (value is null)
            {
                if (header.Count == 1)
                {
                    return $"{ParamPrefix}{param.Header} is set but the argument is absent";
                }

                continue;
            }

            if (header.Count == 0)
            {
                return $"{ParamPrefix}{param.Header} is required: the argument is present";
            }

            if (!param.Matches(Decode(header[0]), value.Value))
            {
                return $"{ParamPrefix}{param.Header} does not match the argument";
            }
        }

        // A mirrored argument the tool's schema does not declare could mislead a router that trusts it: refused when
        // the schema is known (when it is not, the server itself validates what it declares).
        if (toolSchema is not null)
        {
            foreach (var h in headers.Keys)
            {
                if (h.StartsWith(ParamPrefix, StringComparison.OrdinalIgnoreCase) && !expectedNames.Contains(h))
                {
                    return $"{h} mirrors no argument of this tool";
                }
            }
        }

        return null;
    }
}
