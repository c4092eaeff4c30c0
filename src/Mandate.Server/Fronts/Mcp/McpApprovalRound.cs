using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Core.Mcp;
using Mandate.Server.Flow;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Step-up approval in the MCP 2026-07-28 way: a multi round-trip request. A call that needs a person's approval is
/// answered with an <c>input_required</c> result asking the client (one that declared URL-mode elicitation) to open
/// the approval link; its <c>requestState</c> names the approval. The client retries the same call with that
/// <c>requestState</c> (and its <c>inputResponses</c>); Mandate decides the retry with the named approval, exactly as
/// it does an approval named in <c>_meta</c> or the <c>Mandate-Approval</c> header, and strips both members before the
/// call goes up (they are Mandate's round, not the server's). The state needs no integrity protection: an approval is
/// bound to the agent and the digest of the exact call, so a forged or moved state can only fail.
/// </summary>
public static class McpApprovalRound
{
    /// <summary>The key of Mandate's input request.</summary>
    public const string InputKey = "mandate-approval";

    /// <summary>The prefix of Mandate's <c>requestState</c>; the approval id follows.</summary>
    public const string StatePrefix = "mandate-approval:";

    /// <summary>The <c>input_required</c> answer to request <paramref name="id"/>.</summary>
    public static byte[] InputRequired(JsonRpcId id, string decisionId, Verdict verdict, ApprovalTicket ticket)
    {
        var message = "a person must approve this call: " + verdict.Detail;
        var result = new JsonObject
        {
            ["resultType"] = "input_required",
            ["inputRequests"] = new JsonObject
            {
                [InputKey] = new JsonObject
                {
                    ["method"] = McpMethods.ElicitationCreate,
                    ["params"] = new JsonObject { ["mode"] = "url", ["message"] = message, ["url"] = ticket.Link.ToString() },
                },
            },
            ["requestState"] = StatePrefix + ticket.Id,
            ["_meta"] = new JsonObject
            {
                ["mandate/decisionId"] = decisionId,
                ["mandate/approvalId"] = ticket.Id,
                ["mandate/statusUrl"] = ticket.StatusUrl.ToString(),
                ["mandate/expiresAt"] = ticket.ExpiresAt.ToString("O"),
            },
        };
        var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.RawJson), ["result"] = result };
        return JsonSerializer.SerializeToUtf8Bytes(answer, new JsonSerializerOptions { Encoder = JsonRpcErrors.WriterOptions.Encoder });
    }

    /// <summary>The approval id a retry names in <c>params.requestState</c>, when the state is Mandate's.</summary>
    public static string? ApprovalId(JsonRpcMessage message) =>
        State(message) is { } state && state.StartsWith(StatePrefix, StringComparison.Ordinal) && state.Length > StatePrefix.Length ? state[StatePrefix.Length..] : null;

    /// <summary>The message without Mandate's round (<c>requestState</c> and <c>inputResponses</c>), or null when it carries none.</summary>
    public static byte[]? Strip(JsonRpcMessage message)
    {
        if (ApprovalId(message) is null)
        {
            return null;
        }

        var node = JsonNode.Parse(message.Raw.Span)!.AsObject();
        var p = node["params"]!.AsObject();
        p.Remove("requestState");
        p.Remove("inputResponses");
        return JsonSerializer.SerializeToUtf8Bytes(node, new JsonSerializerOptions { Encoder = JsonRpcErrors.WriterOptions.Encoder });
    }

    private static string? State(JsonRpcMessage message) =>
        message.Params is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("requestState", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
}
