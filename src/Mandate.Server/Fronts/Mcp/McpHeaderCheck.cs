using Mandate.Core.Mcp;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Newer clients repeat the method and name in <c>Mcp-Method</c> / <c>Mcp-Name</c> headers for intermediaries; an
/// upstream that routes on them must see the same call Mandate decided, so they must match the body exactly (or be absent).
/// </summary>
public static class McpHeaderCheck
{
    /// <summary>Why the headers do not match the parsed body, or null when they do (or are absent).</summary>
    public static string? Mismatch(HttpContext context, JsonRpcParseResult parsed, string serverName)
    {
        var method = context.Request.Headers[McpHeaders.Method];
        var name = context.Request.Headers[McpHeaders.Name];
        if (method.Count == 0 && name.Count == 0)
        {
            return null;
        }

        if (parsed.IsBatch || parsed.Messages.Count != 1 || method.Count > 1 || name.Count > 1)
        {
            return $"{McpHeaders.Method} and {McpHeaders.Name} are allowed once, with a single message";
        }

        var message = parsed.Messages[0];
        if (method.Count == 1 && !string.Equals(method[0], message.Method, StringComparison.Ordinal))
        {
            return $"{McpHeaders.Method} does not match the message's method";
        }

        if (name.Count == 1)
        {
            var c = McpCallClassifier.Classify(message, serverName);
            var prefix = serverName + "/";
            var expected = c.Resource is { } r && r.Entity.Type != McpEntityTypes.McpServer && r.Entity.Id.StartsWith(prefix, StringComparison.Ordinal)
                ? r.Entity.Id[prefix.Length..]
                : null;
            if (!string.Equals(name[0], expected, StringComparison.Ordinal))
            {
                return $"{McpHeaders.Name} does not match the message's name";
            }
        }

        return null;
    }
}
