using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Validation;

/// <summary>One validation problem in one policy.</summary>
/// <param name="PolicyId">The policy (or template) id.</param>
/// <param name="Code">Stable code, one of <see cref="ValidationCodes"/>.</param>
/// <param name="Message">Cedar-style message: lowercase, names in backticks.</param>
/// <param name="Span">Where in the policy text (unknown for policies built in code).</param>
public sealed record ValidationError(string PolicyId, string Code, string Message, SourceSpan Span)
{
    /// <inheritdoc />
    public override string ToString() => $"policy `{PolicyId}`: error[{Code}]: {Message}";

    /// <summary>
    /// This error as a located diagnostic (<c>file:line:col: error[code]: message</c>), given the
    /// text the policy was parsed from. The message names the policy, as Cedar's CLI does.
    /// </summary>
    public CedarDiagnostic ToDiagnostic(string sourceText, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(sourceText);
        var message = $"for policy `{PolicyId}`, {Message}";
        if (!Span.IsKnown || Span.Start > sourceText.Length) return new CedarDiagnostic(Code, message, fileName, 0, 0, Span);
        int line = 1, lineStart = 0;
        for (var i = 0; i < Span.Start; i++)
        {
            if (sourceText[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new CedarDiagnostic(Code, message, fileName, line, Span.Start - lineStart + 1, Span);
    }
}

/// <summary>A finding that does not make the policy invalid.</summary>
/// <param name="PolicyId">The policy (or template) id.</param>
/// <param name="Code">Stable code, one of <see cref="ValidationCodes"/>.</param>
/// <param name="Message">Cedar-style message.</param>
/// <param name="Span">Where in the policy text.</param>
public sealed record ValidationWarning(string PolicyId, string Code, string Message, SourceSpan Span)
{
    /// <inheritdoc />
    public override string ToString() => $"policy `{PolicyId}`: warning[{Code}]: {Message}";
}

/// <summary>The stable codes of <see cref="ValidationError"/> and <see cref="ValidationWarning"/>.</summary>
public static class ValidationCodes
{
    /// <summary>An entity literal or <c>is</c> names an entity type the schema does not declare.</summary>
    public const string UnrecognizedEntityType = "unrecognized-entity-type";
    /// <summary>An action literal names an action the schema does not declare.</summary>
    public const string UnrecognizedActionId = "unrecognized-action-id";
    /// <summary>An entity literal of an enumerated type uses an id the enumeration does not list.</summary>
    public const string InvalidEnumEntity = "invalid-enum-entity";
    /// <summary>No (principal type, action, resource type) allowed by the schema matches the policy scope.</summary>
    public const string InvalidActionApplication = "invalid-action-application";
    /// <summary>An operand has the wrong type.</summary>
    public const string UnexpectedType = "unexpected-type";
    /// <summary>Types that must agree (set elements, branches, <c>==</c> operands in strict mode) do not.</summary>
    public const string IncompatibleTypes = "incompatible-types";
    /// <summary>An attribute that the type does not declare is read.</summary>
    public const string AttributeNotFound = "attribute-not-found";
    /// <summary>An optional attribute is read without a <c>has</c> guard.</summary>
    public const string UnsafeOptionalAttributeAccess = "unsafe-optional-attribute-access";
    /// <summary>A tag is read without a <c>hasTag</c> guard, or the entity type has no tags.</summary>
    public const string UnsafeTagAccess = "unsafe-tag-access";
    /// <summary>Strict mode: <c>[]</c> has no element type.</summary>
    public const string EmptySetForbidden = "empty-set-forbidden";
    /// <summary>Strict mode: <c>ip(e)</c> etc. with <c>e</c> not a string literal.</summary>
    public const string NonLiteralExtensionConstructor = "non-literal-extension-constructor";
    /// <summary>An extension constructor's literal argument does not parse.</summary>
    public const string ExtensionArgument = "extension-argument";
    /// <summary>An extension function is called with the wrong number of arguments.</summary>
    public const string WrongArity = "wrong-arity";
    /// <summary>An extension function that does not exist.</summary>
    public const string UndefinedFunction = "undefined-function";
    /// <summary>Warning: the policy evaluates to false for every request the schema allows.</summary>
    public const string ImpossiblePolicy = "impossible-policy";
    /// <summary>An expression is nested beyond what the validator checks.</summary>
    public const string TooDeep = "expression-too-deep";
}
