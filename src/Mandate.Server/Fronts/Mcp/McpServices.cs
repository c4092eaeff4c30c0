using Mandate.Core.Mcp;
using Microsoft.Extensions.DependencyInjection;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>Registers the MCP front's parts on the data plane.</summary>
public static class McpServices
{
    /// <summary>Adds the MCP front; <paramref name="toolPins"/> is shared with the control plane's accept endpoint.</summary>
    public static void Add(IServiceCollection services, McpToolPins toolPins)
    {
        services.AddSingleton(toolPins);
        services.AddSingleton(toolPins.Registry);
        services.AddSingleton<IMcpBridgeSessionStore, InMemoryMcpBridgeSessions>();
        services.AddSingleton<McpUpstreamRequests>();
        services.AddSingleton<McpUpstreamProbe>();
        services.AddSingleton<McpEraBridge>();
        services.AddSingleton<McpLegacyBridge>();
        services.AddSingleton<McpSessionBindings>();
        services.AddSingleton<McpUpstreamClient>();
        services.AddSingleton<McpMessageDecider>();
        services.AddSingleton<McpRelay>();
        services.AddSingleton<StdioMcpRelay>();
        services.AddSingleton<McpEndpoint>();
    }
}
