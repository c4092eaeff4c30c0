namespace Mandate.Core.Mcp;

/// <summary>
/// The sessions Mandate holds with legacy (handshake) MCP servers on behalf of modern (stateless) clients: a modern
/// request carries everything a legacy server learns in <c>initialize</c>, so Mandate opens one session per caller and
/// client declaration and reuses it. Keyed by the caller's identity (never by a connection or a node), so any node that
/// reads the same store serves the caller's next request; a lost entry only costs a new <c>initialize</c>.
/// </summary>
public interface IMcpBridgeSessionStore
{
    /// <summary>The session for <paramref name="key"/>, if one is held.</summary>
    ValueTask<McpBridgeSession?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Holds <paramref name="session"/> under <paramref name="key"/>.</summary>
    ValueTask SetAsync(string key, McpBridgeSession session, CancellationToken cancellationToken);

    /// <summary>Forgets the session under <paramref name="key"/> (the server no longer knows it).</summary>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken);
}

/// <summary>A session Mandate opened with a legacy server.</summary>
/// <param name="SessionId">The server's <c>Mcp-Session-Id</c>, or null for a server that issues none.</param>
/// <param name="Version">The protocol version the server negotiated.</param>
/// <param name="Opened">When it was opened.</param>
public sealed record McpBridgeSession(string? SessionId, string Version, DateTimeOffset Opened);
