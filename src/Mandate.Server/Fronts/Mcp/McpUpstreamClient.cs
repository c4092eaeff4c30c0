using System.Net;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// The HTTP client for MCP upstreams. HttpClient rather than YARP's forwarder: Mandate must read the upstream's
/// answer (filter list results inside JSON or SSE, bind the session id it issues) before the client sees it,
/// and it sends the exact request bytes it parsed and decided, not a stream it has not read.
/// No proxy, no redirects, no cookies, no decompression (the same rules as the HTTP front).
/// </summary>
public sealed class McpUpstreamClient : IDisposable
{
    /// <summary>Creates the client.</summary>
    public McpUpstreamClient()
    {
        Http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        })
        {
            // Per-request deadlines cover the response headers; an SSE stream may stay open as long as the client wants it.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The client.</summary>
    public HttpClient Http { get; }

    /// <inheritdoc />
    public void Dispose() => Http.Dispose();
}
