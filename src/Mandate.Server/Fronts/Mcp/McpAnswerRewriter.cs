using System.Buffers;
using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Everything the upstream sends back passes here before the client sees it, on the POST's answer and on the GET
/// stream alike:
/// <list type="bullet">
/// <item>list answers (<c>tools/list</c>, <c>prompts/list</c>, <c>resources/list</c>, <c>resources/templates/list</c>) —
/// by the request's id, or by their shape when they arrive where no list was asked for — are filtered down to the items
/// the caller could be permitted to use, with tool pinning applied ("could be permitted" is the flow's
/// <see cref="DecisionFlow.CouldAllow"/>);</item>
/// <item>requests the server sends the client (<c>sampling/createMessage</c>, <c>elicitation/create</c>,
/// <c>roots/list</c>; legacy era) and the input requests of an <c>input_required</c> result (modern era) are decided by
/// the flow and recorded like any call: a denied one never reaches the client;</item>
/// <item>for a modern client, results get <c>resultType</c> (from a legacy server) and cacheable ones Mandate's own
/// caching hints; for a legacy client, an <c>input_required</c> result it could not read becomes an error.</item>
/// </list>
/// </summary>
public sealed class McpAnswerRewriter
{
    /// <summary>What <see cref="RewriteAsync"/> returns for a message that must not reach the client at all.</summary>
    public static readonly byte[] Drop = [];

    private static readonly byte[][] Triggers = ["\"method\""u8.ToArray(), "\"tools\""u8.ToArray(), "\"prompts\""u8.ToArray(), "\"resources\""u8.ToArray(), "\"resourceTemplates\""u8.ToArray(), "input_required"u8.ToArray()];
    private readonly McpRequestState _state;
    private readonly IReadOnlyDictionary<JsonRpcId, McpListKind> _lists;
    private readonly IReadOnlyDictionary<JsonRpcId, string> _methods;
    private readonly DecisionFlow _flow;
    private readonly McpToolPins _pins;
    private readonly bool _everyResult;

    /// <summary>Creates a rewriter for the answers to one POST (list requests and methods by id) or a GET stream (none).</summary>
    public McpAnswerRewriter(McpRequestState state, IReadOnlyDictionary<JsonRpcId, McpListKind> lists, DecisionFlow flow, McpToolPins pins, IReadOnlyDictionary<JsonRpcId, string>? methods = null)
    {
        _state = state;
        _lists = lists;
        _methods = methods ?? new Dictionary<JsonRpcId, string>();
        _flow = flow;
        _pins = pins;
        // A modern client of a legacy server needs resultType on every result; the fast path (modern to modern) does not.
        _everyResult = state.Modern && !state.Profile.Modern;
    }

    /// <summary>The server requests this rewriter refused, with their ids (the relay answers them upstream).</summary>
    public List<JsonElement> RefusedServerRequests { get; } = [];

    /// <summary>
    /// The rewritten body (one message or a batch array), <see cref="Drop"/> when nothing of it may reach the client,
    /// or null to relay the original bytes. A body that is not JSON is relayed as is: it carries nothing Mandate would
    /// filter, and the client's parser refuses it.
    /// </summary>
    public async Task<byte[]?> RewriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (_lists.Count == 0 && !_everyResult && !NeedsLook(body.Span))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                return await RewriteMessageAsync(root, cancellationToken);
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var parts = new List<ReadOnlyMemory<byte>>();
            var changed = false;
            foreach (var item in root.EnumerateArray())
            {
                var rewritten = item.ValueKind == JsonValueKind.Object ? await RewriteMessageAsync(item, cancellationToken) : null;
                changed |= rewritten is not null;
                if (rewritten is null || rewritten.Length > 0)
                {
                    parts.Add(rewritten ?? JsonSerializer.SerializeToUtf8Bytes(item));
                }
            }

            return !changed ? null : parts.Count == 0 ? Drop : JsonRpcResponseBody.Build(isBatch: true, parts);
        }
    }

    // Cheap byte scan before any parse: only bodies that could hold a list, a server request or an input round are read.
    private static bool NeedsLook(ReadOnlySpan<byte> body)
    {
        foreach (var t in Triggers)
        {
            if (body.IndexOf(t) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<byte[]?> RewriteMessageAsync(JsonElement message, CancellationToken cancellationToken)
    {
        if (message.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String)
        {
            return await ServerRequestAsync(message, method.GetString()!);
        }

        if (!message.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        JsonRpcId? id = message.TryGetProperty("id", out var idElement) && JsonRpcId.TryRead(idElement, allowNull: false, out var read) ? read : null;
        if (result.TryGetProperty("resultType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "input_required")
        {
            return await InputRoundAsync(message, id, result);
        }

        var kind = id is { } known && _lists.TryGetValue(known, out var asked) ? asked : ShapeOf(result);
        var rewritten = kind is { } k ? await FilterAsync(message, result, k, cancellationToken) : null;
        if (_state.Modern)
        {
            var requestMethod = id is { } i && _methods.TryGetValue(i, out var m) ? m : null;
            var cacheable = kind is not null || McpEraRewrite.IsCacheable(requestMethod);
            if (cacheable || _everyResult)
            {
                return McpEraRewrite.ForModernClient(rewritten ?? JsonSerializer.SerializeToUtf8Bytes(message), cacheable) ?? rewritten;
            }
        }

        return rewritten;
    }

    // A list answer arriving where none was asked for (the GET stream, a resumed stream) is still filtered: the result
    // members name the kind. Nothing reaches the client around the filter.
    private static McpListKind? ShapeOf(JsonElement result)
    {
        foreach (var kind in new[] { McpListKind.Tools, McpListKind.Prompts, McpListKind.Resources, McpListKind.ResourceTemplates })
        {
            if (result.TryGetProperty(McpListFilter.ArrayMember(kind), out var items) && items.ValueKind == JsonValueKind.Array)
            {
                return kind;
            }
        }

        return null;
    }

    private async Task<byte[]?> FilterAsync(JsonElement message, JsonElement result, McpListKind kind, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, ToolPinVerdict>? pins = null;
        if (kind == McpListKind.Tools && _state.Server.Pinning != McpPinningMode.Off)
        {
            pins = await _pins.CheckListAsync(_state.Server, result, cancellationToken);
        }
        else if (kind == McpListKind.Tools)
        {
            _pins.Registry.RememberArguments(_state.Server.Name, result);
        }

        var filtered = McpListFilter.Filter(result, kind, (key, _) => Keep(kind, key, pins));
        var buffer = new ArrayBufferWriter<byte>(filtered.Length + 64);
        using (var w = new Utf8JsonWriter(buffer, JsonRpcErrors.WriterOptions))
        {
            w.WriteStartObject();
            foreach (var member in message.EnumerateObject())
            {
                if (member.NameEquals("result"))
                {
                    w.WritePropertyName("result");
                    w.WriteRawValue(filtered, skipInputValidation: false);
                }
                else
                {
                    member.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Legacy era: a request the server sends the client on a stream. Decided on the server (the caller's client would
    // act on it); denied, it is dropped and the relay answers the server with the refusal.
    private async Task<byte[]?> ServerRequestAsync(JsonElement message, string method)
    {
        if (!message.TryGetProperty("id", out var id) || McpActions.ForServerRequest(method) is not { } action)
        {
            return null; // a notification (progress, log, list changed) carries nothing to decide
        }

        if (await AllowServerRequestAsync(action))
        {
            return null;
        }

        RefusedServerRequests.Add(id.Clone());
        return Drop;
    }

    // Modern era: the server asks for input through an input_required result. Every input request is decided like a
    // request the server would send; one denied, and the client gets an error instead of the round.
    private async Task<byte[]?> InputRoundAsync(JsonElement message, JsonRpcId? id, JsonElement result)
    {
        if (!_state.Modern)
        {
            return JsonRpcErrors.ToBytes(id, McpVerdicts.Error(ErrorCatalogue.McpEraTranslation,
                "the server asks for input in a way a 2025 client cannot answer (mcp 2026-07-28 input_required)"), McpVerdicts.DecisionData(_state.Flow.DecisionId));
        }

        if (result.TryGetProperty("inputRequests", out var requests) && requests.ValueKind == JsonValueKind.Object)
        {
            foreach (var request in requests.EnumerateObject())
            {
                var method = request.Value.ValueKind == JsonValueKind.Object && request.Value.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
                if (McpActions.ForServerRequest(method) is not { } action || !await AllowServerRequestAsync(action))
                {
                    return JsonRpcErrors.ToBytes(id, McpVerdicts.Error(ErrorCatalogue.McpServerRequestDenied,
                        $"the server asked for input (`{request.Name}`: `{method}`) that the policies do not allow"), McpVerdicts.DecisionData(_state.Flow.DecisionId));
                }
            }
        }

        return null; // an input round is never cached and carries no hints
    }

    private async Task<bool> AllowServerRequestAsync(string action)
    {
        var call = new FlowCall(new EntityRef(McpEntityTypes.Action, action), McpCallClassifier.ServerResource(_state.Server.Name)) { Upstream = _state.UpstreamName };
        var decisionId = DecisionIds.New();
        var decision = await _flow.DecideAsync(_state.Flow, call, decisionId);
        var verdict = await _flow.RecordAsync(_state.Flow, call.Subject, decision, decisionId);
        return verdict.IsAllowed;
    }

    private bool Keep(McpListKind kind, string key, IReadOnlyDictionary<string, ToolPinVerdict>? pins)
    {
        if (pins is not null && _state.Server.Pinning == McpPinningMode.Hide &&
            (!pins.TryGetValue(key, out var verdict) || verdict is ToolPinVerdict.Changed or ToolPinVerdict.Unavailable))
        {
            return false;
        }

        // An item whose name Mandate would refuse in a call could never be used through Mandate: never listed.
        if (kind is McpListKind.Tools or McpListKind.Prompts ? !McpNames.IsValidName(key) : !McpNames.IsValidUri(key))
        {
            return false;
        }

        var server = _state.Server.Name;
        var (action, resource) = kind switch
        {
            McpListKind.Tools => (McpActions.ToolsCall, McpCallClassifier.ToolResource(server, key)),
            McpListKind.Prompts => (McpActions.PromptsGet, McpCallClassifier.PromptResource(server, key)),
            _ => (McpActions.ResourcesRead, McpCallClassifier.McpResource(server, key)),
        };
        // The flow's "could be allowed": the same task, depth and policy rules as a call, with the arguments unknown.
        var call = new FlowCall(new EntityRef(McpEntityTypes.Action, action), resource) { ItemName = resource.Entity.Id, Upstream = _state.UpstreamName };
        return _flow.CouldAllow(_state.Flow, call);
    }
}
