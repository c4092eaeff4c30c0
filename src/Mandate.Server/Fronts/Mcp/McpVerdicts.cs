using System.Text.Json;
using Mandate.Core.Errors;
using Mandate.Core.Mcp;
using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Renders verdicts as JSON-RPC: a policy's deny as <see cref="McpDenial"/> (-32001 with policies and reasons), any
/// other refusal as the error its code names in the catalogue, with <c>data: {rule, decisionId}</c>.
/// </summary>
public static class McpVerdicts
{
    /// <summary>MCP 2025-11-25's <c>URLElicitationRequiredError</c>: the call needs the user to open a URL first.</summary>
    public const int UrlElicitationRequired = -32042;

    /// <summary>
    /// The error response answering request <paramref name="id"/> with <paramref name="verdict"/>. A step-up is
    /// <c>URLElicitationRequiredError</c> (-32042, <c>data.elicitations</c> naming the approval link) for a client that
    /// declared URL elicitation (<paramref name="urlElicitation"/>), else a -32001 error carrying the same approval data.
    /// </summary>
    public static byte[] ErrorResponse(JsonRpcId? id, string decisionId, Verdict verdict, bool urlElicitation = false, bool modern = false, bool roundTrip = false)
    {
        if (verdict.Kind == VerdictKind.StepUp && verdict.Approval is { } ticket)
        {
            // 2026-07-28 retired -32042: a modern client that can open a URL gets a multi round-trip answer instead,
            // on the calls that may be answered so; otherwise the -32001 error carrying the approval.
            return modern
                ? urlElicitation && roundTrip && id is { } requestId ? McpApprovalRound.InputRequired(requestId, decisionId, verdict, ticket) : StepUp(id, decisionId, verdict, ticket, false)
                : StepUp(id, decisionId, verdict, ticket, urlElicitation);
        }

        return verdict.Code == ErrorCatalogue.PolicyDeny
            ? McpDenial.Response(id, decisionId, verdict.Policies, verdict.Reasons)
            : JsonRpcErrors.ToBytes(id, Error(verdict.Code, verdict.Detail), DecisionData(decisionId));
    }

    private static byte[] StepUp(JsonRpcId? id, string decisionId, Verdict verdict, ApprovalTicket ticket, bool urlElicitation)
    {
        var message = "a person must approve this call: " + verdict.Detail;
        var data = new Dictionary<string, object>
        {
            ["decisionId"] = decisionId,
            ["approvalId"] = ticket.Id,
            ["statusUrl"] = ticket.StatusUrl.ToString(),
            ["link"] = ticket.Link.ToString(),
            ["expiresAt"] = ticket.ExpiresAt,
            ["policies"] = verdict.Policies,
            ["reasons"] = verdict.Reasons,
        };
        if (urlElicitation)
        {
            // The client shows the message and offers the link; once a person approved, it retries the same call.
            data["elicitations"] = new[]
            {
                new Dictionary<string, string> { ["mode"] = "url", ["elicitationId"] = ticket.Id, ["url"] = ticket.Link.ToString(), ["message"] = message },
            };
        }

        var error = new JsonRpcError(verdict.Code, message);
        var body = JsonRpcErrors.ToBytes(id, error, JsonSerializer.SerializeToElement(data));
        return urlElicitation ? WithCode(body, UrlElicitationRequired) : body;
    }

    // The catalogue gives approval.required the code of a refused call (-32001); a client that declared URL
    // elicitation gets the code the protocol names for exactly this case.
    private static byte[] WithCode(byte[] body, int code)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        node["error"]!["code"] = code;
        return JsonSerializer.SerializeToUtf8Bytes(node, new JsonSerializerOptions { Encoder = JsonRpcErrors.WriterOptions.Encoder });
    }

    /// <summary>The JSON-RPC error for <paramref name="code"/> with <paramref name="message"/>.</summary>
    public static JsonRpcError Error(ErrorCode code, string message) => new(code, message);

    /// <summary><c>error.data</c> members naming the decision.</summary>
    public static JsonElement DecisionData(string decisionId) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["decisionId"] = decisionId });

    /// <summary>Writes a JSON-RPC answer Mandate made itself.</summary>
    public static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// The answer when nothing of a POST could be forwarded after all (audit, credential, upstream failures): every
    /// request of it gets the same error; a body of notifications only gets one id-less error.
    /// </summary>
    public static byte[] FailureBody(IReadOnlyList<McpMessageVerdict> verdicts, bool isBatch, ErrorCode code, string message)
    {
        var error = Error(code, message);
        var answers = verdicts.Where(v => v.Message.Kind == JsonRpcMessageKind.Request)
            .Select(v => (ReadOnlyMemory<byte>)JsonRpcErrors.ToBytes(v.Message.Id, error, DecisionData(v.DecisionId))).ToList();
        return JsonRpcResponseBody.Build(isBatch, answers) ?? JsonRpcErrors.ToBytes(null, error);
    }
}
