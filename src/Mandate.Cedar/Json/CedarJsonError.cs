namespace Mandate.Cedar.Json;

/// <summary>A problem in Cedar JSON data (entities, request, context, value).</summary>
/// <param name="Code">A stable code, see <see cref="CedarJsonErrorCodes"/>.</param>
/// <param name="Message">A short, lowercase message naming the offending input.</param>
/// <param name="Path">Where in the document, e.g. <c>[3].attrs.owner</c> or <c>context.ip</c>.</param>
public sealed record CedarJsonError(string Code, string Message, string Path)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? $"{Code}: {Message}" : $"{Code}: {Path}: {Message}";
}

/// <summary>Stable codes for <see cref="CedarJsonError"/>.</summary>
public static class CedarJsonErrorCodes
{
    /// <summary>The text is not JSON, or repeats a property.</summary>
    public const string Syntax = "json-syntax";
    /// <summary>The JSON has the wrong shape (an object where an array belongs, a missing field…).</summary>
    public const string Shape = "json-shape";
    /// <summary>A number that is not a 64-bit integer.</summary>
    public const string Number = "json-number";
    /// <summary>An <c>__extn</c> call or implicit extension string that fails.</summary>
    public const string Extension = "json-extension";
    /// <summary>Two entities with the same uid.</summary>
    public const string DuplicateEntity = "json-duplicate-entity";
    /// <summary>Data that does not conform to the schema (type, attribute, parent, enum, tag).</summary>
    public const string Schema = "json-schema-conformance";
    /// <summary>A request that the schema does not allow (unknown action, principal or resource type).</summary>
    public const string Request = "json-request";
}
