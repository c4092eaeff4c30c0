using System.Text.Json;
using Mandate.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Http;

/// <summary>Writes RFC 9457 <c>application/problem+json</c> answers with Mandate's stable codes.</summary>
public static class ProblemResponse
{
    /// <summary>Writes the problem for <paramref name="code"/> (its status and title); <paramref name="extra"/> adds members such as <c>policies</c>.</summary>
    public static async Task WriteAsync(HttpContext context, ErrorCode code, string detail, string? decisionId, Action<Utf8JsonWriter>? extra = null)
    {
        var status = code.HttpStatus;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", $"urn:mandate:problem:{code.Code}");
            w.WriteString("title", code.Title);
            w.WriteNumber("status", status);
            w.WriteString("detail", detail);
            w.WriteString("code", code.Code);
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
