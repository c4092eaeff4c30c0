namespace Mandate.Server.Configuration;

/// <summary><c>mcp</c>: Model Context Protocol servers Mandate fronts. Empty when the section is absent.</summary>
/// <param name="Servers">Servers by name.</param>
/// <param name="MaxRequestBytes">Largest POST body accepted on an MCP endpoint (default 1 MiB); larger → 413, nothing forwarded.</param>
/// <param name="AuthorizationServers">
/// Issuer URLs named in the RFC 9728 metadata; empty to name the configured OIDC issuers.
/// </param>
/// <param name="PublicBaseUrl">
/// The data plane's URL as clients reach it (the RFC 9728 <c>resource</c> is this + the server's path); null to
/// take scheme and host from each request.
/// </param>
public sealed record McpConfig(
    IReadOnlyDictionary<string, McpServerConfig> Servers,
    int MaxRequestBytes,
    IReadOnlyList<Uri> AuthorizationServers,
    Uri? PublicBaseUrl)
{
    /// <summary>The default request size cap.</summary>
    public const int DefaultMaxRequestBytes = 1024 * 1024;

    /// <summary>No MCP servers.</summary>
    public static McpConfig Empty { get; } = new(new Dictionary<string, McpServerConfig>(StringComparer.Ordinal), DefaultMaxRequestBytes, [], null);

    /// <summary>The server whose endpoint is exactly <paramref name="path"/>, if any.</summary>
    public McpServerConfig? ServerAt(string path)
    {
        foreach (var server in Servers.Values)
        {
            if (string.Equals(server.Path, path, StringComparison.Ordinal))
            {
                return server;
            }
        }

        return null;
    }
}
