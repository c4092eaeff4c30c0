using System.Globalization;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Extensions;

/// <summary>
/// Cedar's <c>datetime</c>: an instant as signed milliseconds since the Unix epoch (64-bit).
/// </summary>
public sealed class DatetimeValue : ExtensionValue
{
    /// <summary>Milliseconds in a day.</summary>
    public const long MsPerDay = 86_400_000;

    private DatetimeValue(long ms) => EpochMilliseconds = ms;

    /// <summary>Milliseconds since 1970-01-01T00:00:00Z.</summary>
    public long EpochMilliseconds { get; }

    /// <inheritdoc />
    public override string TypeName => "datetime";

    /// <inheritdoc />
    public override string ConstructorName => "datetime";

    /// <summary>The instant <paramref name="ms"/> milliseconds after the epoch.</summary>
    public static DatetimeValue FromEpochMilliseconds(long ms) => new(ms);

    /// <summary>
    /// Parses <c>YYYY-MM-DD</c>, <c>YYYY-MM-DDThh:mm:ssZ</c>, <c>YYYY-MM-DDThh:mm:ss.SSSZ</c>,
    /// <c>YYYY-MM-DDThh:mm:ss(+|-)hhmm</c> and <c>YYYY-MM-DDThh:mm:ss.SSS(+|-)hhmm</c>.
    /// </summary>
    public static DatetimeValue? Parse(string text, out string? error)
    {
        error = null;
        var s = text.AsSpan();
        if (s.Length < 10 || !Digits(s, 0, 4, out var year) || s[4] != '-' || !Digits(s, 5, 2, out var month)
            || s[7] != '-' || !Digits(s, 8, 2, out var day))
        {
            return Fail(text, out error);
        }
        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month))
        {
            return Fail(text, out error);
        }
        long hour = 0, minute = 0, second = 0, millis = 0, offsetMinutes = 0;
        if (s.Length > 10)
        {
            if (s.Length < 20 || s[10] != 'T' || !Digits(s, 11, 2, out var h) || s[13] != ':' || !Digits(s, 14, 2, out var mi)
                || s[16] != ':' || !Digits(s, 17, 2, out var se))
            {
                return Fail(text, out error);
            }
            if (h > 23 || mi > 59 || se > 59) return Fail(text, out error);
            hour = h; minute = mi; second = se;
            var i = 19;
            if (s[i] == '.')
            {
                if (!Digits(s, i + 1, 3, out var ms)) return Fail(text, out error);
                millis = ms;
                i += 4;
            }
            if (i >= s.Length) return Fail(text, out error);
            if (s[i] == 'Z')
            {
                if (i + 1 != s.Length) return Fail(text, out error);
            }
            else if (s[i] is '+' or '-')
            {
                if (i + 5 != s.Length || !Digits(s, i + 1, 2, out var oh) || !Digits(s, i + 3, 2, out var om)) return Fail(text, out error);
                if (oh > 23 || om > 59) return Fail(text, out error);
                offsetMinutes = (oh * 60 + om) * (s[i] == '+' ? 1 : -1);
            }
            else
            {
                return Fail(text, out error);
            }
        }
        var days = DaysFromCivil(year, month, day);
        var local = days * MsPerDay + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
        return new DatetimeValue(local - offsetMinutes * 60_000);
    }

    private static DatetimeValue? Fail(string text, out string? error)
    {
        error = $"`{text}` is not a well-formed datetime value";
        return null;
    }

    private static int DaysInMonth(int year, int month)
    {
        var leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        return month switch { 2 => leap ? 29 : 28, 4 or 6 or 9 or 11 => 30, _ => 31 };
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length) return false;
        for (var i = start; i < start + count; i++)
        {
            if (s[i] is < '0' or > '9') return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }

    // Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static long DaysFromCivil(long y, long m, long d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - era * 400;
        var doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is DatetimeValue d && d.EpochMilliseconds == EpochMilliseconds;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(13, EpochMilliseconds);

    /// <inheritdoc />
    public override string ToArgumentString()
    {
        // Print in the canonical UTC form when representable; otherwise fall back to the raw count.
        var min = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
        var max = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        if (EpochMilliseconds < min || EpochMilliseconds > max)
        {
            return EpochMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }
        return DateTimeOffset.FromUnixTimeMilliseconds(EpochMilliseconds).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
