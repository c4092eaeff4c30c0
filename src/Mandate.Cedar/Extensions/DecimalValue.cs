using System.Globalization;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Extensions;

/// <summary>
/// Cedar's <c>decimal</c>: a fixed-point number with exactly four fractional digits, stored as
/// a 64-bit count of ten-thousandths (so the range is that of <c>long</c> / 10^4).
/// </summary>
public sealed class DecimalValue : ExtensionValue
{
    /// <summary>Ten-thousandths per unit.</summary>
    public const long Scale = 10_000;

    private DecimalValue(long raw) => Raw = raw;

    /// <summary>The value times 10^4.</summary>
    public long Raw { get; }

    /// <inheritdoc />
    public override string TypeName => "decimal";

    /// <inheritdoc />
    public override string ConstructorName => "decimal";

    /// <summary>A decimal from its scaled representation (value × 10^4).</summary>
    public static DecimalValue FromRaw(long raw) => new(raw);

    /// <summary>
    /// Parses Cedar's decimal syntax: an optional <c>-</c>, one or more digits, <c>.</c>, then one
    /// to four digits. Returns null (with a reason) when the text is malformed or out of range.
    /// </summary>
    public static DecimalValue? Parse(string text, out string? error)
    {
        error = null;
        var s = text.AsSpan();
        var negative = s.Length > 0 && s[0] == '-';
        if (negative) s = s[1..];
        var dot = s.IndexOf('.');
        if (dot <= 0 || dot == s.Length - 1 || s.Length - dot - 1 > 4)
        {
            error = $"`{text}` is not a well-formed decimal value";
            return null;
        }
        long acc = 0;
        try
        {
            for (var i = 0; i < s.Length; i++)
            {
                if (i == dot) continue;
                var c = s[i];
                if (c is < '0' or > '9')
                {
                    error = $"`{text}` is not a well-formed decimal value";
                    return null;
                }
                // Accumulate with the sign applied so long.MinValue / 10^4 is reachable.
                acc = checked(acc * 10 + (negative ? -(c - '0') : c - '0'));
            }
            for (var pad = s.Length - dot - 1; pad < 4; pad++) acc = checked(acc * 10);
        }
        catch (OverflowException)
        {
            error = $"`{text}` is not a well-formed decimal value: overflow";
            return null;
        }
        return new DecimalValue(acc);
    }

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is DecimalValue d && d.Raw == Raw;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(7, Raw);

    /// <inheritdoc />
    public override string ToArgumentString()
    {
        var whole = Raw / Scale;
        var frac = Math.Abs(Raw % Scale);
        var sign = Raw < 0 && whole == 0 ? "-" : "";
        return sign + whole.ToString(CultureInfo.InvariantCulture) + "." + frac.ToString("D4", CultureInfo.InvariantCulture);
    }
}
