using System.Globalization;

namespace Mandate.Cedar.Values;

/// <summary>A Cedar <c>Long</c>: a signed 64-bit integer.</summary>
public sealed class LongValue : Value
{
    private const long CacheMin = -128;
    private const long CacheMax = 1023;
    private static readonly LongValue[] Cache = BuildCache();

    private LongValue(long value) => Value = value;

    /// <summary>The integer.</summary>
    public long Value { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Long;

    /// <inheritdoc />
    public override string TypeName => "Long";

    /// <summary>The value for <paramref name="value"/>; small values are shared instances.</summary>
    public static LongValue Of(long value) =>
        value is >= CacheMin and <= CacheMax ? Cache[value - CacheMin] : new LongValue(value);

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is LongValue l && l.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    private static LongValue[] BuildCache()
    {
        var cache = new LongValue[CacheMax - CacheMin + 1];
        for (var i = 0; i < cache.Length; i++) cache[i] = new LongValue(i + CacheMin);
        return cache;
    }
}
