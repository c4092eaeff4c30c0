using System.Collections.Frozen;
using Mandate.Cedar.Extensions;

namespace Mandate.Cedar.Validation;

/// <summary>The type of one extension function: receiver first for methods.</summary>
internal sealed record ExtensionSignature(string Name, TcType[] Parameters, TcType Result, Func<string, string?>? ParseLiteral)
{
    public bool IsConstructor => ParseLiteral is not null;
}

/// <summary>Signatures of Cedar 4.x extension functions, for the typechecker.</summary>
internal static class ExtensionSignatures
{
    private static readonly TcPrim Ip = new("ipaddr");
    private static readonly TcPrim Decimal = new("decimal");
    private static readonly TcPrim Datetime = new("datetime");
    private static readonly TcPrim Duration = new("duration");

    private static readonly FrozenDictionary<string, ExtensionSignature> Table = new ExtensionSignature[]
    {
        // Literal arguments are parsed with the evaluator's own parsers, so "validates" and
        // "evaluates without a parse error" cannot disagree.
        new("ip", [TcType.String], Ip, s => IpAddrValue.Parse(s, out var e) is null ? Reason(e, "IP address", s) : null),
        new("decimal", [TcType.String], Decimal, s => DecimalValue.Parse(s, out var e) is null ? Reason(e, "a decimal value", s) : null),
        new("datetime", [TcType.String], Datetime, s => DatetimeValue.Parse(s, out var e) is null ? Reason(e, "a datetime value", s) : null),
        new("duration", [TcType.String], Duration, s => DurationValue.Parse(s, out var e) is null ? Reason(e, "a duration value", s) : null),
        new("isIpv4", [Ip], TcType.AnyBool, null),
        new("isIpv6", [Ip], TcType.AnyBool, null),
        new("isLoopback", [Ip], TcType.AnyBool, null),
        new("isMulticast", [Ip], TcType.AnyBool, null),
        new("isInRange", [Ip, Ip], TcType.AnyBool, null),
        new("lessThan", [Decimal, Decimal], TcType.AnyBool, null),
        new("lessThanOrEqual", [Decimal, Decimal], TcType.AnyBool, null),
        new("greaterThan", [Decimal, Decimal], TcType.AnyBool, null),
        new("greaterThanOrEqual", [Decimal, Decimal], TcType.AnyBool, null),
        new("offset", [Datetime, Duration], Datetime, null),
        new("durationSince", [Datetime, Datetime], Duration, null),
        new("toDate", [Datetime], Datetime, null),
        new("toTime", [Datetime], Duration, null),
        new("toMilliseconds", [Duration], TcType.Long, null),
        new("toSeconds", [Duration], TcType.Long, null),
        new("toMinutes", [Duration], TcType.Long, null),
        new("toHours", [Duration], TcType.Long, null),
        new("toDays", [Duration], TcType.Long, null),
    }.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    public static ExtensionSignature? Find(string name) => Table.GetValueOrDefault(name);

    private static string Reason(string? _, string what, string literal) =>
        $"Failed to parse as {what}: `{MessageText.Quote(literal)}`";
}
