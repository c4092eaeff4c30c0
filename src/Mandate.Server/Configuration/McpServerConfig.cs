namespace Mandate.Server.Configuration;

/// <summary><c>mcp.servers.NAME</c>: one MCP server behind the gateway.</summary>
/// <param name="Name">The server's name (its key); the <c>McpServer</c> entity id and the prefix of its tools' ids.</param>
/// <param name="Url">Streamable HTTP endpoint of the server; null for a stdio server.</param>
/// <param name="Command">Program and arguments Mandate launches for a stdio server; empty for an HTTP server.</param>
/// <param name="Path">Path of Mandate's endpoint for this server on the data plane (default <c>/mcp/NAME</c>).</param>
/// <param name="Credential">The credential the server gets (from the vault); null for none.</param>
/// <param name="Pinning">What happens when a tool's definition changes after it was pinned.</param>
/// <param name="AllowedOrigins">Browser origins allowed to call (an <c>Origin</c> header outside this list → 403).</param>
/// <param name="Timeout">How long to wait for the server's response headers.</param>
public sealed record McpServerConfig(
    string Name,
    Uri? Url,
    IReadOnlyList<string> Command,
    string Path,
    UpstreamCredentialConfig? Credential,
    McpPinningMode Pinning,
    IReadOnlyList<string> AllowedOrigins,
    TimeSpan Timeout)
{
    /// <summary><c>tools</c>: labels, write and approval settings per tool name; a tool not listed has no labels and writes.</summary>
    public IReadOnlyDictionary<string, McpToolConfig> Tools { get; init; } = new Dictionary<string, McpToolConfig>(StringComparer.Ordinal);

    /// <summary>
    /// The folder a stdio server is started in: the configuration file's, so that relative paths among its arguments
    /// mean what they mean in <c>mandate.yaml</c>, wherever the gateway was started from. Null for an HTTP server.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary><c>protocol</c>: the era Mandate speaks to an HTTP server in (probed by default).</summary>
    public McpUpstreamEra Protocol { get; init; } = McpUpstreamEra.Auto;
}
