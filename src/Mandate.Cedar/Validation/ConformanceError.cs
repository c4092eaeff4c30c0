using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Validation;

/// <summary>A request or an entity that does not conform to the schema.</summary>
/// <param name="Code">Stable code, one of <see cref="ConformanceCodes"/>.</param>
/// <param name="Message">Cedar-style message: lowercase, names in backticks.</param>
/// <param name="Entity">The entity concerned (for entity validation), or null.</param>
public sealed record ConformanceError(string Code, string Message, EntityUid? Entity = null)
{
    /// <inheritdoc />
    public override string ToString() => Entity is null ? $"error[{Code}]: {Message}" : $"{Entity}: error[{Code}]: {Message}";
}

/// <summary>The stable codes of <see cref="ConformanceError"/>.</summary>
public static class ConformanceCodes
{
    /// <summary>The request's action is not declared.</summary>
    public const string UndeclaredAction = "undeclared-action";
    /// <summary>The principal's or resource's type is not one the action applies to.</summary>
    public const string InvalidRequestEntityType = "invalid-request-entity-type";
    /// <summary>The context does not match the action's context type.</summary>
    public const string InvalidContext = "invalid-context";
    /// <summary>An entity's type is not declared.</summary>
    public const string UndeclaredEntityType = "undeclared-entity-type";
    /// <summary>An id outside an enumerated entity type's values.</summary>
    public const string InvalidEnumEntity = "invalid-enum-entity";
    /// <summary>An attribute is missing, undeclared or of the wrong type.</summary>
    public const string InvalidAttribute = "invalid-attribute";
    /// <summary>A parent whose type the schema does not allow (memberOfTypes).</summary>
    public const string InvalidParent = "invalid-parent";
    /// <summary>Tags on a type without tags, or a tag of the wrong type.</summary>
    public const string InvalidTag = "invalid-tag";
    /// <summary>An action entity that differs from the schema's declaration.</summary>
    public const string InvalidActionEntity = "invalid-action-entity";
}
