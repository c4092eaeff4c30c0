using System.Text.Json;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Tool definition pinning for the MCP front: each tool an upstream lists is checked against its pin (trusted on
/// first use); a changed definition is flagged until an administrator accepts it. Calls are checked against the
/// definition the upstream last listed; a tool never listed through Mandate has nothing to compare and is not flagged.
/// </summary>
public sealed class McpToolPins
{
    private readonly IToolPinStore _store;
    private readonly McpToolRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<McpToolPins> _logger;
    private static readonly JsonElement Conflicted = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Creates the pin checker.</summary>
    public McpToolPins(IToolPinStore store, McpToolRegistry registry, TimeProvider time, ILogger<McpToolPins> logger)
    {
        _store = store;
        _registry = registry;
        _time = time;
        _logger = logger;
    }

    /// <summary>The tool definitions the upstreams last listed.</summary>
    public McpToolRegistry Registry => _registry;

    /// <summary>The verdict for a call to <paramref name="tool"/>; null when the tool was never listed.</summary>
    public async Task<ToolPinVerdict?> CheckCallAsync(McpServerConfig server, string tool, CancellationToken cancellationToken)
    {
        if (_registry.LastSeen(server.Name, tool) is not { } definition)
        {
            return null;
        }

        return await CheckAsync(server, tool, definition, cancellationToken);
    }

    /// <summary>Remembers and checks every tool of a <c>tools/list</c> result (the result object); the verdicts by tool name.</summary>
    public async Task<IReadOnlyDictionary<string, ToolPinVerdict>> CheckListAsync(McpServerConfig server, JsonElement listResult, CancellationToken cancellationToken)
    {
        var outcomes = await ToolPinCheck.EvaluateListAsync(_store, server.Name, listResult, PinMode.TrustOnFirstUse, _time.GetUtcNow(), cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (listResult.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String &&
                    n.GetString() is { } name && outcomes.ContainsKey(name))
                {
                    counts[name] = counts.GetValueOrDefault(name) + 1;

                    // A name listed twice with different definitions: calls must fail too, whichever one the client saw,
                    // so the registry keeps a definition without a name, which the pin check answers Unavailable.
                    _registry.Remember(server.Name, name, outcomes[name].Verdict == ToolPinVerdict.Changed && counts[name] > 1 ? Conflicted : tool);
                }
            }
        }

        var verdicts = new Dictionary<string, ToolPinVerdict>(StringComparer.Ordinal);
        foreach (var (name, outcome) in outcomes)
        {
            if (outcome.Verdict == ToolPinVerdict.Unavailable)
            {
                McpLog.PinStoreUnavailable(_logger, server.Name, name, outcome.Error ?? "unknown");
            }

            verdicts[name] = outcome.Verdict;
        }

        return verdicts;
    }

    /// <summary>An administrator accepts the definition last listed for <paramref name="tool"/>; null when it was never listed.</summary>
    public async Task<ToolPinStoreResult<ToolPin>?> AcceptAsync(string server, string tool, string acceptedBy, CancellationToken cancellationToken)
    {
        if (_registry.LastSeen(server, tool) is not { } definition)
        {
            return null;
        }

        return await ToolPinCheck.AcceptAsync(_store, server, definition, acceptedBy, _time.GetUtcNow(), cancellationToken);
    }

    private async Task<ToolPinVerdict> CheckAsync(McpServerConfig server, string tool, JsonElement definition, CancellationToken cancellationToken)
    {
        var outcome = await ToolPinCheck.EvaluateAsync(_store, server.Name, definition, PinMode.TrustOnFirstUse, _time.GetUtcNow(), cancellationToken);
        if (outcome.Verdict == ToolPinVerdict.Unavailable)
        {
            McpLog.PinStoreUnavailable(_logger, server.Name, tool, outcome.Error ?? "unknown");
        }

        return outcome.Verdict;
    }
}
