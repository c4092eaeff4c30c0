using System.Text.Json;

namespace Mandate.Cedar.Json;

/// <summary>JSON parsing options shared by the Cedar JSON readers.</summary>
internal static class CedarJsonDocument
{
    /// <summary>Duplicate properties are rejected (Cedar's data must be unambiguous).</summary>
    public static readonly JsonDocumentOptions Options = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 256,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Parses <paramref name="text"/>, or returns null and records the syntax error.</summary>
    public static JsonDocument? Parse(string text, List<CedarJsonError> errors)
    {
        try
        {
            return JsonDocument.Parse(text, Options);
        }
        catch (JsonException ex)
        {
            errors.Add(new CedarJsonError(CedarJsonErrorCodes.Syntax, ex.Message, ""));
            return null;
        }
    }
}
