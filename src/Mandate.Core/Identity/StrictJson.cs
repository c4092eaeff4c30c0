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
        // JsonDocument checks the UTF-8 of a string only when the string is read, and reading it then throws
        // (InvalidOperationException from whichever header rule came first: found by fuzzing, fuzz/crashes/jws).
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            error = new IdentityError(IdentityErrorCodes.Malformed, $"the {what} is not valid utf-8");
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, Strict);
        }
        catch (JsonException)
        {
            error = IsValidWithDuplicates(utf8)
                ? new IdentityError(IdentityErrorCodes.DuplicateJsonKey, $"the {what} repeats a member name")
                : new IdentityError(IdentityErrorCodes.Malformed, $"the {what} is not valid JSON");
            return false;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check unescapes member names, and throws on `"\udc00"` as a name.
            error = UnpairedSurrogate(what);
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = new IdentityError(IdentityErrorCodes.Malformed, $"the {what} is not a JSON object");
                return false;
            }
            if (!HasOnlyUnicodeStrings(document.RootElement))
            {
                // `"alg":"\ud800"` is valid JSON and valid UTF-8, but reading the string throws; the rules after this read strings.
                error = UnpairedSurrogate(what);
                return false;
            }
            root = document.RootElement.Clone();
        }
        error = null;
        return true;
    }

    // JSON allows `\ud800` alone; .NET refuses to turn it into a string (InvalidOperationException), so one such string
    // anywhere would throw from whichever rule read it first. Depth is bounded by MaxDepth.
    private static bool HasOnlyUnicodeStrings(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!HasOnlyUnicodeStrings(item))
                        {
                            return false;
                        }
                    }
                    return true;
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        _ = member.Name; // a member name can escape a lone surrogate too
                        if (!HasOnlyUnicodeStrings(member.Value))
                        {
                            return false;
                        }
                    }
                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static IdentityError UnpairedSurrogate(string what) =>
        new(IdentityErrorCodes.Malformed, $"the {what} has a string escaping an unpaired surrogate");

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
