using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Schema;

/// <summary>
/// A problem found while reading a schema: a stable code, a Cedar-style message (lowercase,
/// names in backticks) and where it is (1-based line and column; 0 when not tied to text).
/// </summary>
public sealed record SchemaDiagnostic(string Code, string Message, string FileName, int Line, int Column)
{
    /// <summary>The same problem as the policy parser's diagnostic type, for tools that print both.</summary>
    public CedarDiagnostic ToCedarDiagnostic() => new(Code, Message, FileName, Line, Column, SourceSpan.None);

    /// <inheritdoc />
    public override string ToString() =>
        Line > 0 ? $"{FileName}:{Line}:{Column}: error[{Code}]: {Message}" : $"{FileName}: error[{Code}]: {Message}";
}

/// <summary>The stable codes of <see cref="SchemaDiagnostic"/>.</summary>
public static class SchemaErrorCodes
{
    /// <summary>The text is not valid schema syntax (human or JSON).</summary>
    public const string Syntax = "schema-syntax";
    /// <summary>A type name resolves to nothing.</summary>
    public const string UnknownType = "schema-unknown-type";
    /// <summary>An entity type reference (memberOfTypes, appliesTo) names no declared entity type.</summary>
    public const string UnknownEntityType = "schema-unknown-entity-type";
    /// <summary>An action group reference names no declared action.</summary>
    public const string UnknownAction = "schema-unknown-action";
    /// <summary>A name is declared twice.</summary>
    public const string Duplicate = "schema-duplicate";
    /// <summary>Common types refer to each other in a cycle.</summary>
    public const string Cycle = "schema-cycle";
    /// <summary>A declaration is not allowed (reserved name, context that is not a record, …).</summary>
    public const string Invalid = "schema-invalid";
}
