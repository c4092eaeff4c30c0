using System.Text.Json;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// RFC 9728 protected-resource metadata for each MCP endpoint: served at the well-known URI formed by inserting
/// <c>/.well-known/oauth-protected-resource</c> between the host and the endpoint's path (RFC 9728 §3.1), and at
/// the bare well-known URI when exactly one MCP server is configured (the fallback MCP clients try). A 401 on an
/// MCP endpoint points at it with <c>WWW-Authenticate: Bearer resource_metadata="…"</c>.
/// </summary>
public static class ProtectedResourceMetadata
{
    /// <summary>The well-known prefix.</summary>
    public const string WellKnown = "/.well-known/oauth-protected-resource";

    /// <summary>The MCP server whose metadata <paramref name="path"/> asks for, if any.</summary>
    public static McpServerConfig? ServerFor(McpConfig mcp, string path)
    {
        if (path == WellKnown)
        {
            return mcp.Servers.Count == 1 ? mcp.Servers.Values.First() : null;
        }

        return path.StartsWith(WellKnown + "/", StringComparison.Ordinal) ? mcp.ServerAt(path[WellKnown.Length..]) : null;
    }

    /// <summary>The data plane's public base URL: configured, else this request's scheme and host.</summary>
    public static string BaseUrl(McpConfig mcp, HttpContext context) =>
        mcp.PublicBaseUrl is { } configured
            ? configured.GetLeftPart(UriPartial.Authority)
            : $"{context.Request.Scheme}://{context.Request.Host.Value}";

    /// <summary>The resource identifier of an MCP endpoint (its absolute URL).</summary>
    public static string Resource(McpConfig mcp, McpServerConfig server, HttpContext context) => BaseUrl(mcp, context) + server.Path;

    /// <summary>The metadata URL of an MCP endpoint.</summary>
    public static string MetadataUrl(McpConfig mcp, McpServerConfig server, HttpContext context) => BaseUrl(mcp, context) + WellKnown + server.Path;

    /// <summary>The <c>WWW-Authenticate</c> parameter added to a 401 on an MCP endpoint.</summary>
    public static string Challenge(McpConfig mcp, McpServerConfig server, HttpContext context) => $"resource_metadata=\"{MetadataUrl(mcp, server, context)}\"";

    /// <summary>Writes the metadata document (GET only; anything else is 405).</summary>
    public static async Task WriteAsync(HttpContext context, MandateConfig config, McpServerConfig server)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET";
            return;
        }

        // Named explicitly, else Mandate's own token endpoint (clients get task tokens there), else the OIDC issuers.
        var issuers = config.Mcp.AuthorizationServers.Count > 0
            ? config.Mcp.AuthorizationServers.Select(u => u.OriginalString.TrimEnd('/')).ToList()
            : config.Tokens is { } tokens
                ? [tokens.Issuer]
                : config.Identity.Oidc.Select(o => o.Issuer).ToList();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonRpcErrors.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("resource", Resource(config.Mcp, server, context));
            w.WriteStartArray("authorization_servers");
            foreach (var issuer in issuers)
            {
                w.WriteStringValue(issuer);
            }

            w.WriteEndArray();
            w.WriteStartArray("bearer_methods_supported");
            w.WriteStringValue("header");
            w.WriteEndArray();
            w.WriteString("resource_name", $"mcp server {server.Name} (through mandate)");
            w.WriteEndObject();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "max-age=300";
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}
