using System.Net.Http.Headers;
using System.Text;
using Mandate.Core.Mcp;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>The upstream POST of a decided MCP body, in the upstream's era.</summary>
public static class McpUpstreamPost
{
    /// <summary>The POST that carries <paramref name="body"/> upstream: only the MCP transport headers travel; the client's <c>Authorization</c>, cookies and everything else stay here.</summary>
    public static HttpRequestMessage Build(HttpContext context, McpRequestState state, byte[] body, string? version, string? sessionId, List<(string Name, string Value)> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, state.Server.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var accept = context.Request.Headers.Accept.ToString();
        request.Headers.TryAddWithoutValidation("Accept", accept.Length > 0 ? accept : "application/json, text/event-stream");
        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHeaders.ProtocolVersion, version);
        }

        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHeaders.SessionId, sessionId);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>The client's mirrored headers, checked against the body by the endpoint before anything was decided.</summary>
    public static void CopyMirroredHeaders(HttpContext context, List<(string Name, string Value)> headers, bool withParams)
    {
        foreach (var (name, values) in context.Request.Headers)
        {
            if (values.Count == 1 && (name.Equals(McpHeaders.Method, StringComparison.OrdinalIgnoreCase) || name.Equals(McpHeaders.Name, StringComparison.OrdinalIgnoreCase) ||
                (withParams && name.StartsWith(McpMirroredHeaders.ParamPrefix, StringComparison.OrdinalIgnoreCase))))
            {
                headers.Add((name, values[0]!));
            }
        }
    }

    /// <summary>The mirrored headers a modern server requires, for a legacy client's request going up as a modern one.</summary>
    public static IEnumerable<(string Name, string Value)> MirroredHeaders(JsonRpcMessage message)
    {
        yield return (McpHeaders.Method, message.Method ?? "");
        var member = message.Method is McpMethods.ToolsCall or McpMethods.PromptsGet ? "name" : message.Method == McpMethods.ResourcesRead ? "uri" : null;
        if (member is not null && message.Params is { } p && p.TryGetProperty(member, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            var text = value.GetString()!;
            var plain = text.Length > 0 && text.All(c => c is >= (char)0x21 and <= (char)0x7E) && !(text.StartsWith("=?base64?", StringComparison.Ordinal) && text.EndsWith("?=", StringComparison.Ordinal));
            yield return (McpHeaders.Name, plain ? text : "=?base64?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=");
        }
    }
}
