using System.Text.Json;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Renders a deny verdict as HTTP: <c>application/problem+json</c> with the code's status and title, the decision id,
/// and — for a policy's deny — the determining policies and their reasons; a 401 also carries
/// <c>WWW-Authenticate</c> with the refusal's message.
/// </summary>
public static class HttpVerdicts
{
    /// <summary>Writes the answer for a deny.</summary>
    public static Task WriteAsync(HttpContext context, string decisionId, Verdict verdict)
    {
        var code = verdict.Code;
        if (code.HttpStatus == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = code == ErrorCatalogue.IdentityMissing
                ? "Bearer realm=\"mandate\""
                : $"Bearer realm=\"mandate\", error=\"invalid_token\", error_description=\"{Quote(verdict.Detail)}\"";
        }

        if (verdict.Approval is { } ticket)
        {
            // A step-up: the approval to wait for, where to read its status, the link a person opens.
            return ProblemResponse.WriteAsync(context, code, verdict.Detail, decisionId, w =>
            {
                WriteArray(w, "policies", verdict.Policies);
                WriteArray(w, "reasons", verdict.Reasons);
                w.WriteString("approvalId", ticket.Id);
                w.WriteString("statusUrl", ticket.StatusUrl.ToString());
                w.WriteString("link", ticket.Link.ToString());
                w.WriteString("expiresAt", ticket.ExpiresAt);
            });
        }

        if (code != ErrorCatalogue.PolicyDeny)
        {
            return ProblemResponse.WriteAsync(context, code, verdict.Detail, decisionId);
        }

        return ProblemResponse.WriteAsync(context, code, verdict.Detail, decisionId, w =>
        {
            WriteArray(w, "policies", verdict.Policies);
            WriteArray(w, "reasons", verdict.Reasons);
        });
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    // A quoted-string in a header: no quotes, backslashes or control characters (RFC 9110 §5.6.4).
    private static string Quote(string s) =>
        new(s.Select(c => c is '"' ? '\'' : c is '\\' ? '/' : c < 0x20 || c >= 0x7F ? ' ' : c).ToArray());
}
