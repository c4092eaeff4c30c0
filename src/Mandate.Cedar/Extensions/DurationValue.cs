using System.Globalization;
using System.Text;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Extensions;

/// <summary>Cedar's <c>duration</c>: a signed number of milliseconds (64-bit).</summary>
public sealed class DurationValue : ExtensionValue
{
    private DurationValue(long ms) => Milliseconds = ms;

    /// <summary>The length in milliseconds.</summary>
    public long Milliseconds { get; }

    /// <inheritdoc />
    public override string TypeName => "duration";

    /// <inheritdoc />
    public override string ConstructorName => "duration";

    /// <summary>A duration of <paramref name="ms"/> milliseconds.</summary>
    public static DurationValue FromMilliseconds(long ms) => new(ms);

    private static readonly (string Unit, long Ms)[] Units =
        [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)];

    /// <summary>
    /// Parses <c>[-]</c> followed by one or more of <c>Nd</c>, <c>Nh</c>, <c>Nm</c>, <c>Ns</c>,
    /// <c>Nms</c> in that order, each at most once. Overflow is an error.
    /// </summary>
    public static DurationValue? Parse(string text, out string? error)
    {
        error = null;
        var s = text.AsSpan();
        var negative = s.Length > 0 && s[0] == '-';
        var i = negative ? 1 : 0;
        var nextUnit = 0;
        long total = 0;
        var any = false;
        try
        {
            while (i < s.Length)
            {
                var start = i;
                long n = 0;
                while (i < s.Length && s[i] is >= '0' and <= '9')
                {
                    n = checked(n * 10 + (s[i] - '0'));
                    i++;
                }
                if (i == start || i == s.Length) return Fail(text, out error);
                // Unit: "ms" must be tried before "m".
                int unit;
                if (s[i] == 'm' && i + 1 < s.Length && s[i + 1] == 's') { unit = 4; i += 2; }
                else if (s[i] == 'd') { unit = 0; i++; }
                else if (s[i] == 'h') { unit = 1; i++; }
                else if (s[i] == 'm') { unit = 2; i++; }
                else if (s[i] == 's') { unit = 3; i++; }
                else return Fail(text, out error);
                if (unit < nextUnit) return Fail(text, out error);
                nextUnit = unit + 1;
                var part = checked(n * Units[unit].Ms);
                total = negative ? checked(total - part) : checked(total + part);
                any = true;
            }
        }
        catch (OverflowException)
        {
            error = $"`{text}` is not a valid duration: overflow";
            return null;
        }
        if (!any) return Fail(text, out error);
        return new DurationValue(total);
    }

    private static DurationValue? Fail(string text, out string? error)
    {
        error = $"`{text}` is not a well-formed duration value";
        return null;
    }

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is DurationValue d && d.Milliseconds == Milliseconds;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(11, Milliseconds);

    /// <inheritdoc />
    public override string ToArgumentString()
    {
        if (Milliseconds == 0) return "0ms";
        var sb = new StringBuilder();
        // Work with a negative remainder so long.MinValue prints without overflow.
        var rest = Milliseconds > 0 ? -Milliseconds : Milliseconds;
        if (Milliseconds < 0) sb.Append('-');
        foreach (var (unit, ms) in Units)
        {
            var q = rest / ms;
            if (q != 0)
            {
                sb.Append((-(decimal)q).ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest -= q * ms;
            }
        }
        return sb.ToString();
    }
}
