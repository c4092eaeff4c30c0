using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Learns each upstream's era: <c>server/discover</c> under 2026-07-28 first; a result naming 2026-07-28 among its
/// versions makes it modern; anything else (an error, a 4xx, silence) falls back to <c>initialize</c> (the probe's
/// session is ended at once). A server's <c>protocol</c> setting skips the guess. Results are kept for
/// <see cref="Lifetime"/> (a failed probe for <see cref="RetryAfter"/>): what an upstream speaks is a property of the
/// server, not of a caller, so the cache holds no caller state and any node can hold its own.
/// </summary>
public sealed class McpUpstreamProbe
{
    /// <summary>How long a probe's result is used.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>How soon a failed probe is tried again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private readonly McpUpstreamRequests _requests;
    private readonly McpToolRegistry _tools;
    private readonly TimeProvider _time;
    private readonly ILogger<McpUpstreamProbe> _logger;
    private readonly ConcurrentDictionary<(string Name, Uri Url, McpUpstreamEra Era), (McpUpstreamProfile Profile, DateTimeOffset Expires)> _known = new();

    /// <summary>Creates the probe.</summary>
    public McpUpstreamProbe(McpUpstreamRequests requests, McpToolRegistry tools, TimeProvider time, ILogger<McpUpstreamProbe> logger)
    {
        _requests = requests;
        _tools = tools;
        _time = time;
        _logger = logger;
    }

    /// <summary>The upstream's profile: cached, or probed now. A stdio server is legacy (Mandate speaks the handshake to the process it starts).</summary>
    public async ValueTask<McpUpstreamProfile> ProfileAsync(McpServerConfig server, CancellationToken cancellationToken)
    {
        if (server.Url is null)
        {
            return McpUpstreamProfile.Unknown;
        }

        var key = (server.Name, server.Url, server.Protocol);
        var now = _time.GetUtcNow();
        if (_known.TryGetValue(key, out var known) && known.Expires > now)
        {
            return known.Profile;
        }

        var (profile, ok) = await ProbeAsync(server, cancellationToken);
        _known[key] = (profile, now + (ok ? Lifetime : RetryAfter));
        return profile;
    }

    /// <summary>How long start-up waits for the first probes (an upstream still starting is probed again on its first call).</summary>
    public static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(5);

    /// <summary>Probes every HTTP server once, in parallel, for at most <see cref="WarmUpLimit"/>; failures are only logged.</summary>
    public async Task WarmAsync(IEnumerable<McpServerConfig> servers, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(WarmUpLimit);
        var probes = servers.Where(s => s.Url is not null).Select(async s =>
        {
            try
            {
                await ProfileAsync(s, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                McpLog.ProbeFailed(_logger, s.Name, "timeout");
            }
        });
        await Task.WhenAll(probes);
    }

    /// <summary>Forgets what is known of <paramref name="server"/> (its answers stopped fitting the profile).</summary>
    public void Forget(McpServerConfig server) => _known.TryRemove((server.Name, server.Url!, server.Protocol), out _);

    private async Task<(McpUpstreamProfile Profile, bool Ok)> ProbeAsync(McpServerConfig server, CancellationToken cancellationToken)
    {
        try
        {
            if (server.Protocol != McpUpstreamEra.Legacy && await DiscoverAsync(server, cancellationToken) is { } modern)
            {
                return (modern, true);
            }

            if (server.Protocol == McpUpstreamEra.Modern)
            {
                return (new McpUpstreamProfile(true, null, null, null, null), false);
            }

            return await InitializeAsync(server, cancellationToken) is { } legacy ? (legacy, true) : (McpUpstreamProfile.Unknown, false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            McpLog.ProbeFailed(_logger, server.Name, e.GetType().Name);
            return (server.Protocol == McpUpstreamEra.Modern ? new McpUpstreamProfile(true, null, null, null, null) : McpUpstreamProfile.Unknown, false);
        }
    }

    private async Task<McpUpstreamProfile?> DiscoverAsync(McpServerConfig server, CancellationToken cancellationToken)
    {
        var message = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = "mandate-discover",
            ["method"] = McpMethods.ServerDiscover,
            ["params"] = new JsonObject { ["_meta"] = McpUpstreamRequests.MandateMeta() },
        };
        var headers = new Dictionary<string, string>
        {
            [McpHeaders.ProtocolVersion] = McpProtocolVersions.V20260728,
            [McpHeaders.Method] = McpMethods.ServerDiscover,
        };
        var answer = await _requests.SendAsync(server, message, headers, cancellationToken);
        if (answer.Result is not { } result || !result.TryGetProperty("supportedVersions", out var versions) || versions.ValueKind != JsonValueKind.Array ||
            !versions.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && McpProtocolVersions.IsModern(v.GetString())))
        {
            return null;
        }

        await ListToolsAsync(server, new Dictionary<string, string> { [McpHeaders.ProtocolVersion] = McpProtocolVersions.V20260728, [McpHeaders.Method] = McpMethods.ToolsList },
            new JsonObject { ["_meta"] = McpUpstreamRequests.MandateMeta() }, cancellationToken);
        var legacy = versions.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).FirstOrDefault(McpProtocolVersions.IsLegacy);
        var info = result.TryGetProperty("_meta", out var meta) && meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(McpMetaKeys.ServerInfo, out var si) ? si : (JsonElement?)null;
        return new McpUpstreamProfile(true, legacy, Member(result, "capabilities"), info, String(result, "instructions"));
    }

    private async Task<McpUpstreamProfile?> InitializeAsync(McpServerConfig server, CancellationToken cancellationToken)
    {
        var message = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = "mandate-probe",
            ["method"] = McpMethods.Initialize,
            ["params"] = new JsonObject
            {
                ["protocolVersion"] = McpProtocolVersions.LatestLegacy,
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = McpUpstreamRequests.MandateMeta()[McpMetaKeys.ClientInfo]!.DeepClone(),
            },
        };
        var answer = await _requests.SendAsync(server, message, new Dictionary<string, string>(), cancellationToken);
        if (answer.Result is not { } result)
        {
            return null;
        }

        var version = String(result, "protocolVersion");
        var headers = new Dictionary<string, string> { [McpHeaders.ProtocolVersion] = McpProtocolVersions.IsLegacy(version) ? version! : McpProtocolVersions.LatestLegacy };
        if (answer.SessionId is { } session)
        {
            headers[McpHeaders.SessionId] = session;
        }

        await _requests.SendAsync(server, new JsonObject { ["jsonrpc"] = "2.0", ["method"] = McpMethods.NotificationsInitialized }, headers, cancellationToken);
        await ListToolsAsync(server, headers, null, cancellationToken);
        if (answer.SessionId is { } opened)
        {
            await _requests.EndSessionAsync(server, opened, version ?? McpProtocolVersions.LatestLegacy, cancellationToken);
        }

        return new McpUpstreamProfile(false, McpProtocolVersions.IsLegacy(version) ? version : McpProtocolVersions.LatestLegacy,
            Member(result, "capabilities"), Member(result, "serverInfo"), String(result, "instructions"));
    }

    // The tools' argument types, so a call is type-checked before any client listed the tools (first page only).
    private async Task ListToolsAsync(McpServerConfig server, IReadOnlyDictionary<string, string> headers, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = "mandate-tools", ["method"] = McpMethods.ToolsList };
        if (parameters is not null)
        {
            message["params"] = parameters;
        }

        if ((await _requests.SendAsync(server, message, headers, cancellationToken)).Result is { } list)
        {
            _tools.RememberArguments(server.Name, list);
        }
    }

    private static JsonElement? Member(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v.Clone() : null;

    private static string? String(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
