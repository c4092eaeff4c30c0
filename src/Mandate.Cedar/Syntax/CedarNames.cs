using System.Collections.Frozen;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Syntax;

/// <summary>The fixed vocabulary of Cedar text: reserved words, variables, functions and methods.</summary>
public static class CedarNames
{
    /// <summary>
    /// Words that are never identifiers (entity type components, attribute names after <c>.</c> or
    /// <c>has</c>, unquoted record keys). Annotation keys may use them.
    /// </summary>
    public static readonly IReadOnlySet<string> Reserved =
        new[] { "true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Extension functions called by name: <c>ip("10.0.0.1")</c>.</summary>
    public static readonly IReadOnlySet<string> ExtensionFunctions =
        new[] { "ip", "decimal", "datetime", "duration" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Extension methods called on a receiver: <c>a.lessThan(b)</c>.</summary>
    public static readonly IReadOnlySet<string> ExtensionMethods = new[]
    {
        "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual",
        "isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange",
        "toDate", "toTime", "toDays", "toHours", "toMinutes", "toSeconds", "toMilliseconds",
        "offset", "durationSince",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is a valid Cedar identifier (and not reserved).</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !Lexer.IsIdentStart(name[0])) return false;
        foreach (var c in name)
        {
            if (!Lexer.IsIdentPart(c)) return false;
        }
        return !Reserved.Contains(name);
    }

    /// <summary>Whether every <c>::</c>-separated component of <paramref name="path"/> is an identifier.</summary>
    public static bool IsPath(string path)
    {
        if (path.Length == 0) return false;
        foreach (var part in path.Split("::"))
        {
            if (!IsIdentifier(part)) return false;
        }
        return true;
    }

    /// <summary>The text of a request variable.</summary>
    public static string VarName(Var v) => v switch
    {
        Var.Principal => "principal",
        Var.Action => "action",
        Var.Resource => "resource",
        _ => "context",
    };

    /// <summary>The method name of a built-in binary method, or null for operators.</summary>
    public static string? MethodName(BinaryOp op) => op switch
    {
        BinaryOp.Contains => "contains",
        BinaryOp.ContainsAll => "containsAll",
        BinaryOp.ContainsAny => "containsAny",
        BinaryOp.GetTag => "getTag",
        BinaryOp.HasTag => "hasTag",
        _ => null,
    };
}
