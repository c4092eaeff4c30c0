using System.Collections.Concurrent;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Which agent each upstream-issued <c>Mcp-Session-Id</c> belongs to. A session id is bound to the agent
/// whose request made the upstream issue it; any other caller presenting it is answered 404 and nothing is
/// forwarded, so a leaked or guessed session id is worthless without the agent's own credential.
/// </summary>
/// <remarks>In memory, per node: a restart forgets the bindings, and clients re-initialize (the 404 MCP clients expect).</remarks>
public sealed class McpSessionBindings
{
    /// <summary>Most sessions remembered at once; beyond it new sessions are refused (an unbounded map is a memory leak an agent could drive).</summary>
    public const int MaxSessions = 100_000;

    private readonly ConcurrentDictionary<(string Server, string SessionId), string> _owners = new();
    private readonly ConcurrentDictionary<(string Server, string SessionId), bool> _urlElicitation = new();
    private readonly ConcurrentDictionary<(string Server, string SessionId), System.Text.Json.Nodes.JsonObject> _bridged = new();

    /// <summary>Number of bound sessions.</summary>
    public int Count => _owners.Count;

    /// <summary>Binds a new session to <paramref name="agentId"/>; false when it is bound to another agent or the table is full.</summary>
    public bool TryBind(string server, string sessionId, string agentId)
    {
        if (_owners.TryGetValue((server, sessionId), out var owner))
        {
            return string.Equals(owner, agentId, StringComparison.Ordinal);
        }

        if (_owners.Count >= MaxSessions)
        {
            return false;
        }

        var bound = _owners.GetOrAdd((server, sessionId), agentId);
        return string.Equals(bound, agentId, StringComparison.Ordinal);
    }

    /// <summary>True when the session exists and belongs to <paramref name="agentId"/>.</summary>
    public bool IsOwner(string server, string sessionId, string agentId) =>
        _owners.TryGetValue((server, sessionId), out var owner) && string.Equals(owner, agentId, StringComparison.Ordinal);

    /// <summary>Forgets a session (after a DELETE the upstream accepted).</summary>
    public void Forget(string server, string sessionId)
    {
        _owners.TryRemove((server, sessionId), out _);
        _urlElicitation.TryRemove((server, sessionId), out _);
        _bridged.TryRemove((server, sessionId), out _);
    }

    /// <summary>
    /// Keeps what a legacy client declared in the <c>initialize</c> Mandate answered for a modern-only server (the
    /// <c>_meta</c> keys each of its requests gets on the way up). A legacy session is the client's own choice of state.
    /// </summary>
    public void RememberBridged(string server, string sessionId, System.Text.Json.Nodes.JsonObject meta)
    {
        if (_owners.ContainsKey((server, sessionId)))
        {
            _bridged[(server, sessionId)] = meta;
        }
    }

    /// <summary>The declarations of a bridged session (a copy), or null when the session is not bridged.</summary>
    public System.Text.Json.Nodes.JsonObject? Bridged(string server, string sessionId) =>
        _bridged.TryGetValue((server, sessionId), out var meta) ? (System.Text.Json.Nodes.JsonObject)meta.DeepClone() : null;

    /// <summary>Remembers that the session's client declared URL-mode elicitation in its <c>initialize</c> (MCP 2025-11-25).</summary>
    public void RememberUrlElicitation(string server, string sessionId)
    {
        if (_owners.ContainsKey((server, sessionId)))
        {
            _urlElicitation[(server, sessionId)] = true;
        }
    }

    /// <summary>True when the session's client declared URL-mode elicitation: a step-up is answered with <c>URLElicitationRequiredError</c>.</summary>
    public bool SupportsUrlElicitation(string server, string sessionId) => _urlElicitation.ContainsKey((server, sessionId));
}
