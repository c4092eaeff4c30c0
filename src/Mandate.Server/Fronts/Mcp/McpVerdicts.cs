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
    /// <summary>The error response answering request <paramref name="id"/> with <paramref name="verdict"/>.</summary>
    public static byte[] ErrorResponse(JsonRpcId? id, string decisionId, Verdict verdict) =>
        verdict.Code == ErrorCatalogue.PolicyDeny
            ? McpDenial.Response(id, decisionId, verdict.Policies, verdict.Reasons)
            : JsonRpcErrors.ToBytes(id, Error(verdict.Code, verdict.Detail), DecisionData(decisionId));

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
