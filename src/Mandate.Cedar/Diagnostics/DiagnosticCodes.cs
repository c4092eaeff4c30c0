namespace Mandate.Cedar.Diagnostics;

/// <summary>
/// The stable codes of <see cref="CedarDiagnostic"/>: syntax problems and template-linking problems.
/// Codes never change meaning once published.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>A character that starts no Cedar token.</summary>
    public const string InvalidCharacter = "invalid-character";
    /// <summary>A string literal without its closing quote.</summary>
    public const string UnterminatedString = "unterminated-string";
    /// <summary>An escape sequence Cedar does not define.</summary>
    public const string InvalidEscape = "invalid-escape";
    /// <summary>A token the grammar does not allow here.</summary>
    public const string UnexpectedToken = "unexpected-token";
    /// <summary>The text ended in the middle of a policy or expression.</summary>
    public const string UnexpectedEnd = "unexpected-end";
    /// <summary>An integer literal outside the signed 64-bit range.</summary>
    public const string IntegerOverflow = "integer-overflow";
    /// <summary>A reserved word used as an identifier.</summary>
    public const string ReservedIdentifier = "reserved-identifier";
    /// <summary>An identifier that is not one of the request variables.</summary>
    public const string UnknownVariable = "unknown-variable";
    /// <summary>A call to a function Cedar does not have.</summary>
    public const string UnknownFunction = "unknown-function";
    /// <summary>A call to a method Cedar does not have.</summary>
    public const string UnknownMethod = "unknown-method";
    /// <summary>A built-in method called with the wrong number of arguments.</summary>
    public const string WrongArity = "wrong-arity";
    /// <summary>A method called like a function, or a function called like a method.</summary>
    public const string CallStyle = "call-style";
    /// <summary>More than four unary operators in a row.</summary>
    public const string TooManyUnary = "too-many-unary";
    /// <summary>Expression nesting beyond the parser's limit.</summary>
    public const string NestingTooDeep = "nesting-too-deep";
    /// <summary>A template slot that is not <c>?principal</c>/<c>?resource</c>, or in the wrong place.</summary>
    public const string InvalidSlot = "invalid-slot";
    /// <summary>A malformed principal, action or resource scope.</summary>
    public const string InvalidScope = "invalid-scope";
    /// <summary>An action scope entity whose type is not an action type.</summary>
    public const string InvalidActionType = "invalid-action-type";
    /// <summary>A record literal that names the same key twice.</summary>
    public const string DuplicateKey = "duplicate-key";
    /// <summary>A policy that carries the same annotation twice.</summary>
    public const string DuplicateAnnotation = "duplicate-annotation";
    /// <summary>Two policies or templates with the same id.</summary>
    public const string DuplicatePolicyId = "duplicate-policy-id";
    /// <summary>A condition keyword other than <c>when</c>/<c>unless</c>, or an empty condition.</summary>
    public const string InvalidCondition = "invalid-condition";
    /// <summary>A malformed <c>has</c>, <c>like</c>, <c>is</c> or attribute access operand.</summary>
    public const string InvalidOperand = "invalid-operand";
    /// <summary>Linking: the named template does not exist.</summary>
    public const string UnknownTemplate = "unknown-template";
    /// <summary>Linking: a slot has no value, or a value is given for a slot the template lacks.</summary>
    public const string SlotMismatch = "slot-mismatch";
    /// <summary>Text that is not a single static policy where one is required.</summary>
    public const string NotAPolicy = "not-a-policy";
}
