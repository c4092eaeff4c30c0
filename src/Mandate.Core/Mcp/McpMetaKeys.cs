namespace Mandate.Core.Mcp;

/// <summary>The reserved <c>_meta</c> keys of MCP 2026-07-28 that Mandate reads or writes.</summary>
public static class McpMetaKeys
{
    /// <summary>The protocol version of this request (required on every modern request).</summary>
    public const string ProtocolVersion = "io.modelcontextprotocol/protocolVersion";

    /// <summary>The client's name and version (optional).</summary>
    public const string ClientInfo = "io.modelcontextprotocol/clientInfo";

    /// <summary>The client's capabilities for this request (required on every modern request).</summary>
    public const string ClientCapabilities = "io.modelcontextprotocol/clientCapabilities";

    /// <summary>The lowest log level the server should emit for this request (optional).</summary>
    public const string LogLevel = "io.modelcontextprotocol/logLevel";

    /// <summary>The server's name and version, in a result's <c>_meta</c>.</summary>
    public const string ServerInfo = "io.modelcontextprotocol/serverInfo";

    /// <summary>Correlates a notification with the <c>subscriptions/listen</c> request that opened its stream.</summary>
    public const string SubscriptionId = "io.modelcontextprotocol/subscriptionId";

    /// <summary>Opts a request into progress notifications.</summary>
    public const string ProgressToken = "progressToken";

    /// <summary>The reserved keys a client may send, each checked for its type; any other key under a reserved MCP prefix is refused.</summary>
    public static IReadOnlySet<string> ClientKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ProtocolVersion, ClientInfo, ClientCapabilities, LogLevel, ProgressToken, "traceparent", "tracestate", "baggage",
    };
}
