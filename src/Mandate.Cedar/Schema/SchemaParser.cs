namespace Mandate.Cedar.Schema;

/// <summary>The outcome of reading a schema: the schema, or every problem found (never both).</summary>
public sealed record SchemaParseResult(CedarSchema? Schema, IReadOnlyList<SchemaDiagnostic> Diagnostics)
{
    /// <summary>Whether the schema was read without errors.</summary>
    public bool Success => Schema is not null;
}

/// <summary>Reads Cedar schemas in either format.</summary>
public static class SchemaParser
{
    /// <summary>
    /// Parses a schema, choosing the format by the first non-blank character: <c>{</c> means the
    /// JSON format, anything else the human (<c>.cedarschema</c>) format. (A human schema never
    /// starts with <c>{</c>: its declarations start with a keyword or an annotation.)
    /// </summary>
    /// <param name="text">The schema text.</param>
    /// <param name="fileName">Used in diagnostics.</param>
    public static SchemaParseResult Parse(string text, string fileName = "<schema>")
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            return c == '{' ? ParseJson(text, fileName) : ParseHuman(text, fileName);
        }
        return ParseHuman(text, fileName);
    }

    /// <summary>Parses the human format (<c>.cedarschema</c>).</summary>
    public static SchemaParseResult ParseHuman(string text, string fileName = "<schema>")
    {
        var diagnostics = new List<SchemaDiagnostic>();
        var fragment = HumanSchemaParser.Parse(text, fileName, diagnostics);
        var schema = fragment is null ? null : SchemaResolver.Resolve(fragment, fileName, diagnostics);
        return new SchemaParseResult(schema, diagnostics);
    }

    /// <summary>Parses the JSON format (<c>.cedarschema.json</c>).</summary>
    public static SchemaParseResult ParseJson(string text, string fileName = "<schema>")
    {
        var diagnostics = new List<SchemaDiagnostic>();
        var fragment = JsonSchemaParser.Parse(text, fileName, diagnostics);
        var schema = fragment is null ? null : SchemaResolver.Resolve(fragment, fileName, diagnostics);
        return new SchemaParseResult(schema, diagnostics);
    }
}
