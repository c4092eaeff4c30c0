using System.Text.Json;
using Mandate.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Reads a request body as one strict JSON object for <c>args: json</c> routes: <c>Content-Type:
/// application/json</c> (UTF-8) only, at most a cap of bytes, no repeated member names (two parsers that keep
/// different duplicates would see different arguments: the policy and the upstream must see the same one).
/// </summary>
public static class JsonRequestBody
{
    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    private static readonly JsonDocumentOptions Lenient = Strict with { AllowDuplicateProperties = true };

    /// <summary>Reads and parses the body; never throws for bad input (only when <paramref name="cancellationToken"/> fires or the client goes away).</summary>
    public static async Task<JsonBodyReading> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
            (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return JsonBodyReading.Refused(ErrorCatalogue.RequestUnsupportedMediaType, "this route takes a JSON body: `Content-Type: application/json`");
        }

        if (request.ContentLength > maxBytes)
        {
            return JsonBodyReading.Refused(ErrorCatalogue.RequestTooLarge, $"the body is larger than {maxBytes} bytes");
        }

        // Read at most one byte past the cap: enough to know a body without Content-Length is too large.
        var buffer = new byte[Math.Min(maxBytes + 1, (int)(request.ContentLength ?? maxBytes + 1))];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    return JsonBodyReading.Refused(ErrorCatalogue.RequestTooLarge, $"the body is larger than {maxBytes} bytes");
                }

                Array.Resize(ref buffer, Math.Min(maxBytes + 1, buffer.Length * 2 + 1));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        if (length > maxBytes)
        {
            return JsonBodyReading.Refused(ErrorCatalogue.RequestTooLarge, $"the body is larger than {maxBytes} bytes");
        }

        var bytes = length == buffer.Length ? buffer : buffer[..length];
        if (length == 0)
        {
            return JsonBodyReading.Refused(ErrorCatalogue.RequestBadJson, "the body is empty; this route takes a JSON object");
        }

        // The reader does not check every string's encoding; text the policy and the upstream could decode
        // differently is refused outright.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return JsonBodyReading.Refused(ErrorCatalogue.RequestBadJson, "the body is not valid UTF-8");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, Strict);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return JsonBodyReading.Refused(ErrorCatalogue.RequestBadJson, "the body must be a JSON object");
            }

            ReadEveryString(document.RootElement);
            return JsonBodyReading.Success(bytes, document.RootElement.Clone());
        }
        catch (InvalidOperationException)
        {
            // `"\ud800"` is valid JSON but not a string .NET will read (the duplicate-name check or, later, the policy's
            // context.args would throw and answer 503); the same refusal as the JWS reader's (found by fuzzing).
            return JsonBodyReading.Refused(ErrorCatalogue.RequestBadJson, "the body has a string escaping an unpaired surrogate");
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return JsonBodyReading.Refused(ErrorCatalogue.RequestBadJson, ParsesWithDuplicates(bytes)
                ? "the JSON body repeats a member name"
                : "the body is not valid JSON");
        }
    }

    // Throws InvalidOperationException at the first string or member name that cannot be read. Depth is bounded by Strict.
    private static void ReadEveryString(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ReadEveryString(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    _ = member.Name;
                    ReadEveryString(member.Value);
                }

                break;
        }
    }

    // Only on the failure path, to tell a repeated name from plain bad JSON.
    private static bool ParsesWithDuplicates(byte[] bytes)
    {
        try
        {
            using var _ = JsonDocument.Parse(bytes, Lenient);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return false;
        }
    }
}
