using System.Text;
using System.Text.Json;
using Mandate.Core.Errors;
using Mandate.Core.OAuth;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.OAuth;

/// <summary>Writes OAuth JSON answers: errors (RFC 6749 §5.2) and successes, never cached.</summary>
public static class OAuthResponse
{
    /// <summary>Writes an error: 401 for <c>invalid_client</c>, 503 for <c>server_error</c>, else 400 unless <paramref name="status"/> says otherwise.</summary>
    public static Task ErrorAsync(HttpContext context, OAuthError error, int? status = null, string? decisionId = null) =>
        WriteErrorAsync(context, status ?? Status(error.Error), error.Error, error.Description, null, decisionId);

    /// <summary>
    /// Writes the OAuth error for a stable code: the catalogue's OAuth <c>error</c> (RFC 6749 §5.2), the description,
    /// Mandate's <c>code</c> and the decision id.
    /// </summary>
    public static Task ErrorAsync(HttpContext context, ErrorCode code, string description, string? decisionId, int? status = null) =>
        WriteErrorAsync(context, status ?? Status(code), OAuthError(code), description, code.Code, decisionId);

    /// <summary>The status of an OAuth error answer for <paramref name="code"/>.</summary>
    public static int Status(ErrorCode code) => Status(OAuthError(code));

    // Codes without an OAuth error of their own (they are not the token endpoint's) answer as the failure they are.
    private static string OAuthError(ErrorCode code) => code.OAuth ?? (code.HttpStatus >= 500 ? OAuthErrorCodes.ServerError : OAuthErrorCodes.InvalidRequest);

    private static int Status(string error) => error switch
    {
        OAuthErrorCodes.InvalidClient => 401,
        OAuthErrorCodes.ServerError => 503,
        _ => 400,
    };

    private static Task WriteErrorAsync(HttpContext context, int status, string error, string description, string? code, string? decisionId) =>
        JsonAsync(context, status, w =>
        {
            w.WriteString("error", error);
            w.WriteString("error_description", Printable(description));
            if (code is not null)
            {
                w.WriteString("code", code);
            }

            if (decisionId is not null)
            {
                w.WriteString("decision_id", decisionId);
            }
        });

    /// <summary>Writes a JSON object built by <paramref name="body"/>, with <c>Cache-Control: no-store</c>.</summary>
    public static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        await RawJsonAsync(context, status, buffer.ToArray());
    }

    /// <summary>Writes JSON text as it is, with <c>Cache-Control: no-store</c>.</summary>
    public static Task RawJsonAsync(HttpContext context, int status, string json) => RawJsonAsync(context, status, Encoding.UTF8.GetBytes(json));

    private static async Task RawJsonAsync(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    // RFC 6749 §5.2: error_description is printable ASCII without `"` and `\`.
    private static string Printable(string s) =>
        new(s.Select(c => c is '"' ? '\'' : c is '\\' ? '/' : c < 0x20 || c > 0x7E ? '?' : c).ToArray());
}
