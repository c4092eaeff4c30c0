using System.Collections.Concurrent;
using Mandate.Core.Mcp;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// The default <see cref="IMcpBridgeSessionStore"/>: in memory, per node, bounded. A node that does not hold a
/// caller's bridge session opens another (one more <c>initialize</c> upstream); nothing is ever served from another
/// caller's entry. Several nodes sharing a store (issue 17) plug in here.
/// </summary>
public sealed class InMemoryMcpBridgeSessions : IMcpBridgeSessionStore
{
    /// <summary>Most sessions held at once; beyond it the oldest are dropped (a caller that lost one opens another).</summary>
    public const int MaxSessions = 10_000;

    private readonly ConcurrentDictionary<string, McpBridgeSession> _sessions = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<McpBridgeSession?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_sessions.TryGetValue(key, out var s) ? s : null);

    /// <inheritdoc />
    public ValueTask SetAsync(string key, McpBridgeSession session, CancellationToken cancellationToken)
    {
        if (_sessions.Count >= MaxSessions)
        {
            foreach (var old in _sessions.OrderBy(s => s.Value.Opened).Take(MaxSessions / 10).ToList())
            {
                _sessions.TryRemove(old.Key, out _);
            }
        }

        _sessions[key] = session;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _sessions.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }
}
