using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Core.Errors;
using Mandate.Core.Mcp;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// A legacy (handshake) client in front of a modern-only server: the server has no <c>initialize</c>, session, ping
/// or log level, so Mandate answers those itself — after they were decided and recorded like any message — and keeps
/// what the client declared with the session it issues (bound to the agent like any session). Each later request
/// goes up as a modern one with those declarations in its <c>_meta</c> (<see cref="McpRelay"/>).
/// </summary>
public sealed class McpLegacyBridge
{
    private readonly McpSessionBindings _sessions;

    /// <summary>Creates the bridge.</summary>
    public McpLegacyBridge(McpSessionBindings sessions) => _sessions = sessions;

    /// <summary>True when <paramref name="state"/>'s client is legacy and its upstream modern only (it needs the bridge).</summary>
    public static bool Applies(McpRequestState state) => !state.Modern && state.Server.Url is not null && state.Profile is { Modern: true, LegacyVersion: null };

    /// <summary>Answers the messages the modern server cannot; false when the body must go up (translated by the relay).</summary>
    public async Task<bool> TryAnswerAsync(HttpContext context, McpRequestState state, JsonRpcParseResult parsed, string? sessionId)
    {
        if (parsed.IsBatch || parsed.Messages is not [var message])
        {
            if (parsed.Messages.Any(m => IsLocal(m.Method)))
            {
                await McpVerdicts.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ToBytes(null,
                    McpVerdicts.Error(ErrorCatalogue.McpEraTranslation, "send handshake messages one by one to this server"), McpVerdicts.DecisionData(state.Flow.DecisionId)));
                return true;
            }

            return false;
        }

        switch (message.Method)
        {
            case McpMethods.Initialize:
                await InitializeAsync(context, state, message);
                return true;
            case McpMethods.NotificationsInitialized or McpMethods.NotificationsRootsListChanged or McpMethods.NotificationsCancelled:
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return true;
            case McpMethods.Ping or McpMethods.ResourcesUnsubscribe:
                await ResultAsync(context, message.Id!.Value, new JsonObject());
                return true;
            case McpMethods.LoggingSetLevel:
                if (sessionId is not null && _sessions.Bridged(state.Server.Name, sessionId) is { } meta &&
                    message.Params is { } p && p.TryGetProperty("level", out var level) && level.ValueKind == JsonValueKind.String)
                {
                    meta[McpMetaKeys.LogLevel] = level.GetString();
                    _sessions.RememberBridged(state.Server.Name, sessionId, meta);
                }

                await ResultAsync(context, message.Id!.Value, new JsonObject());
                return true;
            case McpMethods.ResourcesSubscribe:
                await McpVerdicts.WriteAsync(context, StatusCodes.Status200OK, JsonRpcErrors.ToBytes(message.Id,
                    McpVerdicts.Error(ErrorCatalogue.McpEraTranslation, "this server takes subscriptions through subscriptions/listen (mcp 2026-07-28), which a 2025 client cannot open"),
                    McpVerdicts.DecisionData(state.Flow.DecisionId)));
                return true;
            default:
                return false;
        }
    }

    private static bool IsLocal(string? method) => method is McpMethods.Initialize or McpMethods.Ping or McpMethods.LoggingSetLevel or McpMethods.ResourcesSubscribe
        or McpMethods.ResourcesUnsubscribe or McpMethods.NotificationsInitialized or McpMethods.NotificationsRootsListChanged;

    private async Task InitializeAsync(HttpContext context, McpRequestState state, JsonRpcMessage message)
    {
        var p = message.Params ?? default;
        var requested = p.ValueKind == JsonValueKind.Object && p.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var version = McpProtocolVersions.IsLegacy(requested) ? requested! : McpProtocolVersions.LatestLegacy;
        var meta = new JsonObject
        {
            [McpMetaKeys.ProtocolVersion] = McpProtocolVersions.V20260728,
            [McpMetaKeys.ClientCapabilities] = Node(p, "capabilities") ?? new JsonObject(),
        };
        if (Node(p, "clientInfo") is { } info)
        {
            meta[McpMetaKeys.ClientInfo] = info;
        }

        var sessionId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        if (!_sessions.TryBind(state.Server.Name, sessionId, state.Caller.AgentId))
        {
            await McpVerdicts.WriteAsync(context, ErrorCatalogue.McpSessionsFull.HttpStatus, JsonRpcErrors.ToBytes(message.Id,
                McpVerdicts.Error(ErrorCatalogue.McpSessionsFull, "no more mcp sessions can be opened now"), McpVerdicts.DecisionData(state.Flow.DecisionId)));
            return;
        }

        _sessions.RememberBridged(state.Server.Name, sessionId, meta);
        if (state.DeclaresUrlElicitation)
        {
            _sessions.RememberUrlElicitation(state.Server.Name, sessionId);
        }

        var profile = state.Profile;
        var result = new JsonObject
        {
            ["protocolVersion"] = version,
            ["capabilities"] = profile.Capabilities is { } c ? JsonNode.Parse(c.GetRawText()) : new JsonObject { ["tools"] = new JsonObject() },
            ["serverInfo"] = profile.ServerInfo is { } si ? JsonNode.Parse(si.GetRawText()) : new JsonObject { ["name"] = "mandate/" + state.Server.Name, ["version"] = "0" },
        };
        if (profile.Instructions is { } instructions)
        {
            result["instructions"] = instructions;
        }

        context.Response.Headers[McpHeaders.SessionId] = sessionId;
        await ResultAsync(context, message.Id!.Value, result);
    }

    private static JsonNode? Node(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? JsonNode.Parse(value.GetRawText()) : null;

    private static Task ResultAsync(HttpContext context, JsonRpcId id, JsonObject result)
    {
        var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.RawJson), ["result"] = result };
        return McpVerdicts.WriteAsync(context, StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(answer, new JsonSerializerOptions { Encoder = JsonRpcErrors.WriterOptions.Encoder }));
    }
}
