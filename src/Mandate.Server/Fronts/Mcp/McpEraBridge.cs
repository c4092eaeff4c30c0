using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Core.Mcp;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// A modern (stateless) client in front of a legacy (handshake) server: the server needs a session, the client has
/// none, so Mandate opens one per caller and client declaration with the declarations the request carries in its
/// <c>_meta</c> (an <c>initialize</c> and its <c>notifications/initialized</c>), holds it in the
/// <see cref="IMcpBridgeSessionStore"/> and reuses it. The key is the upstream, the agent, its task session (when it
/// presented a task token) and a digest of what the client declared — never a connection or a node — so a session is
/// never shared between callers and a node that does not hold one opens another.
/// </summary>
public sealed class McpEraBridge
{
    // A modern client cannot answer requests a server sends on a stream (that era asks through input_required
    // rounds), so the legacy server is not told it may send them.
    private static readonly string[] ServerRequestCapabilities = ["sampling", "elicitation", "roots"];

    private readonly IMcpBridgeSessionStore _store;
    private readonly McpUpstreamRequests _requests;
    private readonly TimeProvider _time;
    private readonly ILogger<McpEraBridge> _logger;

    /// <summary>Creates the bridge.</summary>
    public McpEraBridge(IMcpBridgeSessionStore store, McpUpstreamRequests requests, TimeProvider time, ILogger<McpEraBridge> logger)
    {
        _store = store;
        _requests = requests;
        _time = time;
        _logger = logger;
    }

    /// <summary>The store key of <paramref name="state"/>'s caller for its upstream.</summary>
    public static string Key(McpRequestState state)
    {
        var declared = (state.Meta?.ClientCapabilities?.GetRawText() ?? "") + "\n" + (state.Meta?.ClientInfo?.GetRawText() ?? "");
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(declared)))[..32];
        return string.Join('\n', state.Server.Name, state.Caller.Issuer, state.Caller.AgentId, state.Caller.SessionId ?? "", digest);
    }

    /// <summary>The caller's session with the legacy upstream: held, or opened now; null when it cannot be opened.</summary>
    public async Task<McpBridgeSession?> SessionAsync(McpRequestState state, CancellationToken cancellationToken)
    {
        var key = Key(state);
        if (await _store.GetAsync(key, cancellationToken) is { } held)
        {
            return held;
        }

        try
        {
            var opened = await OpenAsync(state, cancellationToken);
            if (opened is not null)
            {
                await _store.SetAsync(key, opened, cancellationToken);
            }

            return opened;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            McpLog.BridgeSessionFailed(_logger, state.Server.Name, e.GetType().Name);
            return null;
        }
    }

    /// <summary>Forgets the caller's session (the upstream no longer knows it: it answered 404).</summary>
    public ValueTask ForgetAsync(McpRequestState state, CancellationToken cancellationToken) => _store.RemoveAsync(Key(state), cancellationToken);

    private async Task<McpBridgeSession?> OpenAsync(McpRequestState state, CancellationToken cancellationToken)
    {
        var capabilities = state.Meta?.ClientCapabilities is { ValueKind: JsonValueKind.Object } c ? JsonNode.Parse(c.GetRawText())!.AsObject() : new JsonObject();
        foreach (var name in ServerRequestCapabilities)
        {
            capabilities.Remove(name);
        }

        var clientInfo = state.Meta?.ClientInfo is { } info ? JsonNode.Parse(info.GetRawText()) : McpUpstreamRequests.MandateMeta()[McpMetaKeys.ClientInfo]!.DeepClone();
        var initialize = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = "mandate-bridge",
            ["method"] = McpMethods.Initialize,
            ["params"] = new JsonObject
            {
                ["protocolVersion"] = state.Profile.LegacyVersion ?? McpProtocolVersions.LatestLegacy,
                ["capabilities"] = capabilities,
                ["clientInfo"] = clientInfo,
            },
        };
        var answer = await _requests.SendAsync(state.Server, initialize, new Dictionary<string, string>(), cancellationToken);
        if (answer.Result is not { } result)
        {
            McpLog.BridgeSessionFailed(_logger, state.Server.Name, "status " + answer.Status);
            return null;
        }

        var version = result.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String && McpProtocolVersions.IsLegacy(v.GetString())
            ? v.GetString()!
            : McpProtocolVersions.LatestLegacy;
        var headers = new Dictionary<string, string> { [McpHeaders.ProtocolVersion] = version };
        if (answer.SessionId is { } session)
        {
            headers[McpHeaders.SessionId] = session;
        }

        var initialized = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = McpMethods.NotificationsInitialized };
        await _requests.SendAsync(state.Server, initialized, headers, cancellationToken);
        return new McpBridgeSession(answer.SessionId, version, _time.GetUtcNow());
    }
}
