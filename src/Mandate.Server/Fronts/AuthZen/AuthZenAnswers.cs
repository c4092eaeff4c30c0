using System.Text.Json;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>
/// Renders verdicts as AuthZEN decisions (§5.5): an allow is <c>{"decision": true}</c> (no context a PEP might not
/// understand); a policy's deny is <c>{"decision": false}</c> with <c>context.reason_user</c> (the policies'
/// <c>@reason</c> texts, which Mandate shows callers anyway) and <c>context.reason_admin</c> (which policies decided,
/// and the decision id to find the record). A deny a person may lift (step-up) is a decision too, with
/// <c>context.approval</c> (<c>id</c>, <c>status_url</c>, <c>link</c>, <c>expires_at</c>): once approved, the same
/// evaluation asked again is allowed once. Inside a batch, a refusal of one evaluation is
/// <c>{"decision": false, "context": {"error": {status, message, code}}}</c> (§7.2.1).
/// </summary>
public static class AuthZenAnswers
{
    /// <summary>Writes one decision object for <paramref name="verdict"/>.</summary>
    public static void Decision(Utf8JsonWriter w, Verdict verdict, string decisionId)
    {
        w.WriteStartObject();
        w.WriteBoolean("decision", verdict.IsAllowed);
        if (!verdict.IsAllowed)
        {
            w.WriteStartObject("context");
            w.WriteString("decision_id", decisionId);
            w.WriteString("code", verdict.Code.Code);
            if (verdict.Code == ErrorCatalogue.PolicyDeny || verdict.Approval is not null)
            {
                w.WriteStartObject("reason_admin");
                w.WriteString("en", verdict.Policies.Count == 0 ? "no policy permits this request" : "denied by " + string.Join(", ", verdict.Policies));
                w.WriteEndObject();
                if (verdict.Reasons.Count > 0)
                {
                    w.WriteStartObject("reason_user");
                    w.WriteString("en", string.Join("; ", verdict.Reasons));
                    w.WriteEndObject();
                }

                if (verdict.Approval is { } ticket)
                {
                    w.WriteStartObject("approval");
                    w.WriteString("id", ticket.Id);
                    w.WriteString("status_url", ticket.StatusUrl.ToString());
                    w.WriteString("link", ticket.Link.ToString());
                    w.WriteString("expires_at", ticket.ExpiresAt);
                    w.WriteEndObject();
                }
            }
            else
            {
                w.WriteStartObject("error");
                w.WriteNumber("status", verdict.Code.HttpStatus);
                w.WriteString("message", verdict.Detail);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>True when the verdict is a decision (allow or a policy's deny), false when it is a refusal of the request.</summary>
    public static bool IsDecision(Verdict verdict) => verdict.IsAllowed || verdict.Code == ErrorCatalogue.PolicyDeny || verdict.Approval is not null;

    /// <summary>Writes a 200 <c>application/json</c> answer built by <paramref name="body"/>.</summary>
    public static async Task JsonAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            body(w);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        if (string.IsNullOrEmpty(context.Response.Headers.CacheControl))
        {
            context.Response.Headers.CacheControl = "no-store";
        }

        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
