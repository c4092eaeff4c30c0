namespace Mandate.Core.Mcp.ToolArguments;

/// <summary>The Cedar type a tool argument maps to.</summary>
public enum McpArgumentKind
{
    /// <summary>JSON Schema <c>string</c> → Cedar <c>String</c> (an <c>enum</c> is kept for the check).</summary>
    String,

    /// <summary>JSON Schema <c>integer</c> → Cedar <c>Long</c>.</summary>
    Long,

    /// <summary>JSON Schema <c>boolean</c> → Cedar <c>Bool</c>.</summary>
    Bool,

    /// <summary>JSON Schema <c>object</c> with <c>properties</c> → a Cedar record.</summary>
    Record,

    /// <summary>JSON Schema <c>array</c> with <c>items</c> → Cedar <c>Set</c> of the item type.</summary>
    Set,

    /// <summary>JSON Schema <c>number</c>: checked to be a number, not mapped (Cedar has no fractions).</summary>
    Number,

    /// <summary>Anything else (<c>anyOf</c>, <c>$ref</c>, a list of types, no type): not mapped, not checked.</summary>
    Unmapped,
}

/// <summary>
/// A tool argument's type as Mandate reads it from the tool's <c>inputSchema</c>: what it checks before a call is
/// decided, and what it writes into the generated Cedar schema.
/// </summary>
/// <param name="Kind">The mapped kind.</param>
public sealed record McpArgumentType(McpArgumentKind Kind)
{
    /// <summary>The allowed values of a string <c>enum</c>, or null.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A record's attributes (name → type and whether required), in schema order.</summary>
    public IReadOnlyList<McpArgumentAttribute> Attributes { get; init; } = [];

    /// <summary>True when the record refuses attributes it does not declare (<c>additionalProperties: false</c>).</summary>
    public bool Closed { get; init; }

    /// <summary>A set's element type.</summary>
    public McpArgumentType? Element { get; init; }

    /// <summary>Why the type is not mapped (for <see cref="McpArgumentKind.Number"/> and <see cref="McpArgumentKind.Unmapped"/>).</summary>
    public string? Why { get; init; }

    /// <summary>True when the type appears in the Cedar schema.</summary>
    public bool IsMapped => Kind is not (McpArgumentKind.Number or McpArgumentKind.Unmapped) && (Kind != McpArgumentKind.Set || Element!.IsMapped);
}

/// <summary>One attribute of a record argument type.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Type">Its type.</param>
/// <param name="Required">True when the schema lists it in <c>required</c>.</param>
public sealed record McpArgumentAttribute(string Name, McpArgumentType Type, bool Required);
