using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>
/// JSON parsing for untrusted security documents: duplicate member names are an error, because two
/// parsers that pick different duplicates see different tokens (a classic JOSE bypass).
/// </summary>
internal static class StrictJson
{
    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 32,
    };

    private static readonly JsonDocumentOptions Lenient = Strict with { AllowDuplicateProperties = true };

    /// <summary>Parses <paramref name="utf8"/> as one JSON object; returns the root (a detached clone) or an error naming <paramref name="what"/>.</summary>
    public static bool TryParseObject(ReadOnlyMemory<byte> utf8, string what, out JsonElement root, out IdentityError? error)
    {
        root = default;
        JsonDocument document;
        try
        {
            // Invalid UTF-8 is rejected by the reader, so bytes that are not text never parse.
            document = JsonDocument.Parse(utf8, Strict);
        }
        catch (JsonException)
        {
            error = IsValidWithDuplicates(utf8)
                ? new IdentityError(IdentityErrorCodes.DuplicateJsonKey, $"the {what} repeats a member name")
                : new IdentityError(IdentityErrorCodes.Malformed, $"the {what} is not valid JSON");
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = new IdentityError(IdentityErrorCodes.Malformed, $"the {what} is not a JSON object");
                return false;
            }
            root = document.RootElement.Clone();
        }
        error = null;
        return true;
    }

    // Only called on the failure path, to tell a repeated name from plain bad JSON.
    private static bool IsValidWithDuplicates(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var _ = JsonDocument.Parse(utf8, Lenient);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
