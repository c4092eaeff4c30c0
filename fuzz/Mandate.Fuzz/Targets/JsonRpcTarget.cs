using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Mcp;

namespace Mandate.Fuzz.Targets;

/// <summary>
/// The strict JSON-RPC reader (<see cref="JsonRpcParser"/>) and what the MCP front does next with each message:
/// <see cref="McpCallClassifier"/> and the tool arguments as a Cedar value. The input is a POST body.
/// </summary>
/// <remarks>
/// Expected failure: a whole-body <see cref="JsonRpcError"/> (<c>jsonrpc.*</c>), or messages marked invalid with
/// their own error. Findings: any exception; a body accepted that System.Text.Json would not read; a message
/// whose raw bytes, forwarded alone, read as a different message; an id that cannot be echoed.
/// </remarks>
public sealed class JsonRpcTarget : FuzzTarget
{
    private static readonly JsonRpcLimits Limits = JsonRpcLimits.Default with { MaxBytes = 64 * 1024, MaxDepth = 16 };

    /// <inheritdoc />
    public override string Name => "jsonrpc";

    /// <inheritdoc />
    public override string Description => "JSON-RPC body → messages → MCP classification → context.args; findings: exceptions, raw slices that read differently";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input)
    {
        var batchAllowed = JsonRpcParser.Parse(input, Limits, allowBatch: true);
        var single = JsonRpcParser.Parse(input, Limits, allowBatch: false);
        Check(batchAllowed.IsBatch || SameOutcome(batchAllowed, single), "batches allowed or not, a single message reads the same");
        if (batchAllowed.Error is { } error)
        {
            Check(batchAllowed.Messages.Count == 0 && error.Rule.Code.StartsWith("jsonrpc.", StringComparison.Ordinal), "a refused body has no messages and a jsonrpc.* code");
            return;
        }

        Check(batchAllowed.Messages.Count >= 1 && batchAllowed.Messages.Count <= Limits.MaxBatch, "a read body has 1..MaxBatch messages");
        using (JsonDocument.Parse(input.ToArray()))
        {
            // A body Mandate reads must be one that an upstream's ordinary JSON reader reads too.
        }

        _ = McpCallClassifier.CheckBatch(batchAllowed);
        foreach (var message in batchAllowed.Messages)
        {
            Check((message.Kind == JsonRpcMessageKind.Invalid) == (message.Error is not null), "an invalid message, and only one, carries an error");
            if (message.Id is { } id)
            {
                EchoId(id);
            }

            // A batch element that is not an object (`[[]]`) is refused in place; alone it is not a message.
            if (message.Raw.Span is [(byte)'{', ..])
            {
                var alone = JsonRpcParser.Parse(message.Raw.Span, Limits, allowBatch: false);
                Check(alone.Error is null && alone.Messages.Count == 1, "a message's raw bytes read alone");
                var again = alone.Messages[0];
                Check(again.Kind == message.Kind && Nullable.Equals(again.Id, message.Id) && again.Method == message.Method, "a message's raw bytes read alone as the same message");
            }

            var classification = McpCallClassifier.Classify(message, "helpdesk");
            if (classification.Arguments is { } args)
            {
                _ = CedarJsonValues.ToLiteralValue(McpArguments.ToCedarJson(args));
            }
        }
    }

    private static bool SameOutcome(JsonRpcParseResult a, JsonRpcParseResult b) =>
        a.Error?.Rule == b.Error?.Rule
        && a.Messages.Count == b.Messages.Count
        && a.Messages.Zip(b.Messages).All(p => p.First.Kind == p.Second.Kind && p.First.Error?.Rule == p.Second.Error?.Rule);

    private static void EchoId(JsonRpcId id)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WriteEndObject();
        }

        using var echoed = JsonDocument.Parse(buffer.ToArray());
        Check(JsonRpcId.TryRead(echoed.RootElement.GetProperty("id"), allowNull: true, out var back) && back.Equals(id), "an echoed id reads back as the same id");
    }
}
