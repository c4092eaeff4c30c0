using System.Buffers;
using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Filters the upstream's answers to list requests (<c>tools/list</c>, <c>prompts/list</c>, <c>resources/list</c>,
/// <c>resources/templates/list</c>) down to the items the caller could be permitted to use, and applies tool
/// pinning (a changed tool is hidden in <c>hide</c> mode). Answers to other requests pass unchanged. "Could be
/// permitted" is the flow's (<see cref="DecisionFlow.CouldAllow"/>): an item outside the caller's task is hidden, and
/// one a forbid refuses whatever the arguments are is hidden; a permit that needs particular arguments keeps it.
/// </summary>
public sealed class McpAnswerRewriter
{
    private readonly McpRequestState _state;
    private readonly IReadOnlyDictionary<JsonRpcId, McpListKind> _lists;
    private readonly DecisionFlow _flow;
    private readonly McpToolPins _pins;

    /// <summary>Creates a rewriter for the list requests of one POST (by id).</summary>
    public McpAnswerRewriter(McpRequestState state, IReadOnlyDictionary<JsonRpcId, McpListKind> lists, DecisionFlow flow, McpToolPins pins)
    {
        _state = state;
        _lists = lists;
        _flow = flow;
        _pins = pins;
    }

    /// <summary>True when some answer may need rewriting.</summary>
    public bool IsActive => _lists.Count > 0;

    /// <summary>
    /// The rewritten body (one message or a batch array), or null to relay the original bytes. A body that is not
    /// JSON is relayed as is: it carries nothing Mandate would filter, and the client's parser refuses it.
    /// </summary>
    public async Task<byte[]?> RewriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!IsActive)
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
                parts.Add(rewritten ?? JsonSerializer.SerializeToUtf8Bytes(item));
            }

            return changed ? JsonRpcResponseBody.Build(isBatch: true, parts) : null;
        }
    }

    private async Task<byte[]?> RewriteMessageAsync(JsonElement message, CancellationToken cancellationToken)
    {
        if (!message.TryGetProperty("id", out var idElement) || !JsonRpcId.TryRead(idElement, allowNull: false, out var id) ||
            !_lists.TryGetValue(id, out var kind) || !message.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        IReadOnlyDictionary<string, ToolPinVerdict>? pins = null;
        if (kind == McpListKind.Tools && _state.Server.Pinning != McpPinningMode.Off)
        {
            pins = await _pins.CheckListAsync(_state.Server, result, cancellationToken);
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
