using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Pipeline;

/// <summary>Writes RFC 9457 <c>application/problem+json</c> answers with Mandate's stable codes.</summary>
public static class ProblemResponse
{
    /// <summary>Writes a problem; <paramref name="extra"/> adds members such as <c>policies</c> and <c>reasons</c>.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string title, string detail, string? decisionId, Action<Utf8JsonWriter>? extra = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", $"urn:mandate:problem:{code}");
            w.WriteString("title", title);
            w.WriteNumber("status", status);
            w.WriteString("detail", detail);
            w.WriteString("code", code);
            if (decisionId is not null)
            {
                w.WriteString("decisionId", decisionId);
            }

            extra?.Invoke(w);
            w.WriteEndObject();
        }

        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}
