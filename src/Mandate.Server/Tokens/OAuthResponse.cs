using System.Text;
using System.Text.Json;
using Mandate.Core.OAuth;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Tokens;

/// <summary>Writes OAuth JSON answers: errors (RFC 6749 §5.2) and successes, never cached.</summary>
public static class OAuthResponse
{
    /// <summary>Writes an error; 401 for <c>invalid_client</c>/<c>invalid_token</c>/<c>invalid_dpop_proof</c> on a resource, else 400 unless <paramref name="status"/> says otherwise.</summary>
    public static Task ErrorAsync(HttpContext context, OAuthError error, int? status = null, string? decisionId = null) =>
        JsonAsync(context, status ?? (error.Error == OAuthErrorCodes.InvalidClient ? 401 : error.Error == OAuthErrorCodes.ServerError ? 503 : 400), w =>
        {
            w.WriteString("error", error.Error);
            w.WriteString("error_description", Printable(error.Description));
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
