using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.Mcp;
using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// The rules only a modern (2026-07-28) POST meets, before anything is decided: which era a body is in, the version
/// (header and <c>_meta</c>: unknown → <c>UnsupportedProtocolVersionError</c> -32022), the required <c>_meta</c> keys
/// (-32602), the mirrored headers (<c>HeaderMismatch</c> -32020); and the one method Mandate answers itself,
/// <c>server/discover</c>. Every refusal here is a JSON-RPC error with HTTP 400, the body a dual-era client reads to
/// tell a modern server from a legacy one.
/// </summary>
public static class McpModernFront
{
    /// <summary>A refusal: its code, what to tell the client, and extra <c>error.data</c>.</summary>
    /// <param name="Code">The catalogue code.</param>
    /// <param name="Detail">The message.</param>
    /// <param name="Data">Members for <c>error.data</c> besides the rule and decision id.</param>
    public sealed record Refusal(ErrorCode Code, string Detail, Dictionary<string, object?>? Data = null);

    /// <summary>
    /// True when a parsed POST is a modern request: a single message that calls <c>server/discover</c> or names a protocol
    /// version in its <c>_meta</c>, or any body under a modern <c>MCP-Protocol-Version</c> header.
    /// </summary>
    public static bool IsModern(JsonRpcParseResult parsed, string? headerVersion) =>
        McpProtocolVersions.IsModern(headerVersion) ||
        (!parsed.IsBatch && parsed.Messages is [{ IsCall: true } only] && (only.Method == McpMethods.ServerDiscover || McpRequestMeta.DeclaresVersion(only)));

    /// <summary>The version check for any POST: an unknown header version is refused with the supported list.</summary>
    public static Refusal? CheckHeaderVersion(string? headerVersion) =>
        headerVersion is not null && !McpProtocolVersions.IsKnown(headerVersion) ? Unsupported(headerVersion) : null;

    /// <summary>Reads and checks a modern request's <c>_meta</c>, version and mirrored headers; the refusal, or null with <paramref name="meta"/> set.</summary>
    public static Refusal? Check(HttpContext context, JsonRpcParseResult parsed, string serverName, JsonElement? toolSchema, out McpRequestMeta meta)
    {
        meta = new McpRequestMeta();
        if (parsed.IsBatch || parsed.Messages is not [{ IsCall: true } message])
        {
            return new Refusal(ErrorCatalogue.JsonRpcBatchNotAllowed, "a 2026-07-28 post carries one request");
        }

        meta = McpRequestMeta.Read(message, requireModern: false, out var metaError);
        if (metaError is not null)
        {
            return new Refusal(metaError.Rule, metaError.Message);
        }

        var header = context.Request.Headers[McpHeaders.ProtocolVersion];
        if (meta.ProtocolVersion is { } declared && !McpProtocolVersions.IsModern(declared) &&
            (header.Count == 0 || string.Equals(header[0], declared, StringComparison.Ordinal)))
        {
            return Unsupported(declared);
        }

        if (McpMirroredHeaders.Mismatch(context, parsed, serverName, modern: true, meta.ProtocolVersion, toolSchema) is { } mismatch)
        {
            return new Refusal(ErrorCatalogue.McpHeaderMismatch, mismatch);
        }

        McpRequestMeta.Read(message, requireModern: true, out var missing);
        return missing is null ? null : new Refusal(missing.Rule, missing.Message);
    }

    /// <summary>The answer to a refused modern request: a JSON-RPC error with the request's id, HTTP 400 (404 for an unknown method, as the transport says).</summary>
    public static async Task WriteAsync(HttpContext context, JsonRpcId? id, string decisionId, Refusal refusal)
    {
        var data = new Dictionary<string, object?>(refusal.Data ?? []) { ["decisionId"] = decisionId };
        var body = JsonRpcErrors.ToBytes(id, McpVerdicts.Error(refusal.Code, refusal.Detail), JsonSerializer.SerializeToElement(data));
        await McpVerdicts.WriteAsync(context, StatusOf(refusal.Code), body);
    }

    /// <summary>The HTTP status of a modern request refused with <paramref name="code"/> before it was decided.</summary>
    public static int StatusOf(ErrorCode code) => code == ErrorCatalogue.McpUnknownMethod ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;

    /// <summary>
    /// The <c>server/discover</c> result for this caller: the versions Mandate serves, the upstream's capabilities
    /// narrowed to the lists the caller could be allowed, Mandate's identity, and caching hints that keep it the caller's own.
    /// </summary>
    public static byte[] Discover(JsonRpcId id, McpRequestState state, McpUpstreamProfile profile, DecisionFlow flow)
    {
        var capabilities = new JsonObject();
        var upstream = profile.Capabilities is { ValueKind: JsonValueKind.Object } c ? JsonNode.Parse(c.GetRawText())!.AsObject() : null;
        foreach (var (name, action) in new[] { ("tools", McpActions.ToolsList), ("prompts", McpActions.PromptsList), ("resources", McpActions.ResourcesList) })
        {
            if ((upstream is null || upstream.ContainsKey(name)) && CouldList(state, flow, action))
            {
                capabilities[name] = upstream?[name]?.DeepClone() ?? new JsonObject();
            }
        }

        foreach (var name in new[] { "completions", "logging", "extensions" })
        {
            if (upstream?[name] is { } value)
            {
                capabilities[name] = value.DeepClone();
            }
        }

        var result = new JsonObject
        {
            ["resultType"] = "complete",
            ["supportedVersions"] = new JsonArray(McpProtocolVersions.Supported.Select(v => (JsonNode)v!).ToArray()),
            ["capabilities"] = capabilities,
            ["_meta"] = new JsonObject
            {
                [McpMetaKeys.ServerInfo] = new JsonObject
                {
                    ["name"] = "mandate/" + state.Server.Name,
                    ["version"] = typeof(McpModernFront).Assembly.GetName().Version?.ToString(3) ?? "0",
                },
            },
            ["ttlMs"] = 0,
            ["cacheScope"] = "private",
        };
        if (profile.Instructions is { } instructions)
        {
            result["instructions"] = instructions;
        }

        var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.RawJson), ["result"] = result };
        return JsonSerializer.SerializeToUtf8Bytes(answer, new JsonSerializerOptions { Encoder = JsonRpcErrors.WriterOptions.Encoder });
    }

    private static bool CouldList(McpRequestState state, DecisionFlow flow, string action)
    {
        var call = new FlowCall(new EntityRef(McpEntityTypes.Action, action), McpCallClassifier.ServerResource(state.Server.Name))
        {
            Upstream = state.UpstreamName,
            IsListing = true,
        };
        return flow.CouldAllow(state.Flow, call);
    }

    private static Refusal Unsupported(string requested) => new(ErrorCatalogue.McpProtocolVersion, "Unsupported protocol version",
        new Dictionary<string, object?> { ["supported"] = McpProtocolVersions.Supported, ["requested"] = requested });
}
