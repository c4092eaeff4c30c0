namespace Mandate.Core.Mcp;

/// <summary>MCP method names (exact, case-sensitive), from the 2024-11-05, 2025-03-26 and 2025-06-18 specifications.</summary>
public static class McpMethods
{
    /// <summary>Client → server: opens a session and negotiates the protocol version.</summary>
    public const string Initialize = "initialize";
    /// <summary>Either direction: liveness check.</summary>
    public const string Ping = "ping";
    /// <summary>Client → server: lists tools.</summary>
    public const string ToolsList = "tools/list";
    /// <summary>Client → server: calls a tool.</summary>
    public const string ToolsCall = "tools/call";
    /// <summary>Client → server: lists resources.</summary>
    public const string ResourcesList = "resources/list";
    /// <summary>Client → server: lists resource templates.</summary>
    public const string ResourcesTemplatesList = "resources/templates/list";
    /// <summary>Client → server: reads a resource.</summary>
    public const string ResourcesRead = "resources/read";
    /// <summary>Client → server: subscribes to a resource's updates.</summary>
    public const string ResourcesSubscribe = "resources/subscribe";
    /// <summary>Client → server: ends a subscription.</summary>
    public const string ResourcesUnsubscribe = "resources/unsubscribe";
    /// <summary>Client → server: lists prompts.</summary>
    public const string PromptsList = "prompts/list";
    /// <summary>Client → server: gets a prompt.</summary>
    public const string PromptsGet = "prompts/get";
    /// <summary>Client → server: argument completion for a prompt or resource template.</summary>
    public const string CompletionComplete = "completion/complete";
    /// <summary>Client → server: sets the server's log level (legacy; 2026-07-28 sets it per request in <c>_meta</c>).</summary>
    public const string LoggingSetLevel = "logging/setLevel";
    /// <summary>Client → server (2026-07-28): the server's versions, capabilities and identity.</summary>
    public const string ServerDiscover = "server/discover";
    /// <summary>Client → server (2026-07-28): a long-lived stream of the change notifications the client opts in to.</summary>
    public const string SubscriptionsListen = "subscriptions/listen";

    /// <summary>Client → server: the client finished initializing.</summary>
    public const string NotificationsInitialized = "notifications/initialized";
    /// <summary>Either direction: cancels an in-flight request.</summary>
    public const string NotificationsCancelled = "notifications/cancelled";
    /// <summary>Either direction: progress of a long request.</summary>
    public const string NotificationsProgress = "notifications/progress";
    /// <summary>Client → server: the client's roots changed.</summary>
    public const string NotificationsRootsListChanged = "notifications/roots/list_changed";

    /// <summary>Server → client: log message.</summary>
    public const string NotificationsMessage = "notifications/message";
    /// <summary>Server → client: a subscribed resource changed.</summary>
    public const string NotificationsResourcesUpdated = "notifications/resources/updated";
    /// <summary>Server → client: the resource list changed.</summary>
    public const string NotificationsResourcesListChanged = "notifications/resources/list_changed";
    /// <summary>Server → client: the tool list changed.</summary>
    public const string NotificationsToolsListChanged = "notifications/tools/list_changed";
    /// <summary>Server → client: the prompt list changed.</summary>
    public const string NotificationsPromptsListChanged = "notifications/prompts/list_changed";

    /// <summary>Server → client: asks the client's model for a completion.</summary>
    public const string SamplingCreateMessage = "sampling/createMessage";
    /// <summary>Server → client: asks for the client's roots.</summary>
    public const string RootsList = "roots/list";
    /// <summary>Server → client: asks the user for input (2025-06-18).</summary>
    public const string ElicitationCreate = "elicitation/create";

    /// <summary>Request methods a client may send to a server.</summary>
    public static IReadOnlySet<string> ClientRequests { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Initialize, Ping, ToolsList, ToolsCall, ResourcesList, ResourcesTemplatesList, ResourcesRead,
        ResourcesSubscribe, ResourcesUnsubscribe, PromptsList, PromptsGet, CompletionComplete, LoggingSetLevel,
    };

    /// <summary>Request methods a modern (2026-07-28) client may send: the handshake, ping, log level and resource subscriptions are gone, discovery and listening are new.</summary>
    public static IReadOnlySet<string> ModernClientRequests { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ServerDiscover, SubscriptionsListen, ToolsList, ToolsCall, ResourcesList, ResourcesTemplatesList, ResourcesRead,
        PromptsList, PromptsGet, CompletionComplete,
    };

    /// <summary>Notification methods a modern client may send (on HTTP none is expected; cancellation is closing the stream).</summary>
    public static IReadOnlySet<string> ModernClientNotifications { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        NotificationsCancelled,
    };

    /// <summary>Notification methods a client may send to a server.</summary>
    public static IReadOnlySet<string> ClientNotifications { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        NotificationsInitialized, NotificationsCancelled, NotificationsProgress, NotificationsRootsListChanged,
    };
}
