using System.Collections.Frozen;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Extensions;

/// <summary>
/// The extension functions Cedar 4.x defines, by name. The evaluator and the JSON readers
/// (<c>__extn</c>) both call through this table, so their behaviour cannot drift apart.
/// </summary>
public static class ExtensionFunctions
{
    private static readonly FrozenDictionary<string, ExtensionFunction> Table = Build();

    /// <summary>The function named <paramref name="name"/>, if Cedar defines one.</summary>
    public static bool TryGet(string name, out ExtensionFunction function) => Table.TryGetValue(name, out function!);

    /// <summary>All defined functions.</summary>
    public static IEnumerable<ExtensionFunction> All => Table.Values;

    /// <summary>
    /// Calls <paramref name="name"/> on <paramref name="arguments"/>, checking that it exists and
    /// its arity. Returns null with an error message on any failure.
    /// </summary>
    public static Value? Call(string name, ReadOnlySpan<Value> arguments, out string? error)
    {
        if (!Table.TryGetValue(name, out var fn))
        {
            error = $"`{name}` is not a known extension function";
            return null;
        }
        if (arguments.Length != fn.Arity)
        {
            error = $"wrong number of arguments in extension function application: `{name}` expects {fn.Arity}, got {arguments.Length}";
            return null;
        }
        return fn.Implementation(arguments, out error);
    }

    private static FrozenDictionary<string, ExtensionFunction> Build()
    {
        var list = new List<ExtensionFunction>
        {
            Constructor("ip", s => (IpAddrValue.Parse(s, out var e), e)),
            Constructor("decimal", s => (DecimalValue.Parse(s, out var e), e)),
            Constructor("datetime", s => (DatetimeValue.Parse(s, out var e), e)),
            Constructor("duration", s => (DurationValue.Parse(s, out var e), e)),

            Unary<IpAddrValue>("isIpv4", "ipaddr", ip => Value.Bool(ip.IsV4)),
            Unary<IpAddrValue>("isIpv6", "ipaddr", ip => Value.Bool(!ip.IsV4)),
            Unary<IpAddrValue>("isLoopback", "ipaddr", ip => Value.Bool(ip.IsLoopback)),
            Unary<IpAddrValue>("isMulticast", "ipaddr", ip => Value.Bool(ip.IsMulticast)),
            Binary<IpAddrValue, IpAddrValue>("isInRange", "ipaddr", "ipaddr", (a, b) => Value.Bool(a.IsInRange(b))),

            Binary<DecimalValue, DecimalValue>("lessThan", "decimal", "decimal", (a, b) => Value.Bool(a.Raw < b.Raw)),
            Binary<DecimalValue, DecimalValue>("lessThanOrEqual", "decimal", "decimal", (a, b) => Value.Bool(a.Raw <= b.Raw)),
            Binary<DecimalValue, DecimalValue>("greaterThan", "decimal", "decimal", (a, b) => Value.Bool(a.Raw > b.Raw)),
            Binary<DecimalValue, DecimalValue>("greaterThanOrEqual", "decimal", "decimal", (a, b) => Value.Bool(a.Raw >= b.Raw)),

            Binary<DatetimeValue, DurationValue>("offset", "datetime", "duration", (a, b) =>
                Checked(() => DatetimeValue.FromEpochMilliseconds(checked(a.EpochMilliseconds + b.Milliseconds)))),
            Binary<DatetimeValue, DatetimeValue>("durationSince", "datetime", "datetime", (a, b) =>
                Checked(() => DurationValue.FromMilliseconds(checked(a.EpochMilliseconds - b.EpochMilliseconds)))),
            Unary<DatetimeValue>("toDate", "datetime", d => Checked(() => DatetimeValue.FromEpochMilliseconds(
                checked(d.EpochMilliseconds - Mod(d.EpochMilliseconds, DatetimeValue.MsPerDay))))),
            Unary<DatetimeValue>("toTime", "datetime", d => DurationValue.FromMilliseconds(Mod(d.EpochMilliseconds, DatetimeValue.MsPerDay))),

            Unary<DurationValue>("toMilliseconds", "duration", d => Value.Long(d.Milliseconds)),
            Unary<DurationValue>("toSeconds", "duration", d => Value.Long(d.Milliseconds / 1_000)),
            Unary<DurationValue>("toMinutes", "duration", d => Value.Long(d.Milliseconds / 60_000)),
            Unary<DurationValue>("toHours", "duration", d => Value.Long(d.Milliseconds / 3_600_000)),
            Unary<DurationValue>("toDays", "duration", d => Value.Long(d.Milliseconds / 86_400_000)),
        };
        return list.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
    }

    // Euclidean remainder: always in [0, m).
    private static long Mod(long x, long m)
    {
        var r = x % m;
        return r < 0 ? r + m : r;
    }

    // Overflow in an extension operation is an evaluation error: the operation yields null and
    // Unary/Binary turn that into an overflow message.
    private static Value? Checked(Func<Value> f)
    {
        try
        {
            return f();
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static ExtensionFunction Constructor(string name, Func<string, (Value? Value, string? Error)> parse) =>
        new(name, 1, true, (ReadOnlySpan<Value> args, out string? error) =>
        {
            if (args[0] is not StringValue s)
            {
                error = TypeError(name, "String", args[0]);
                return null;
            }
            var (v, e) = parse(s.Value);
            error = e;
            return v;
        });

    private static ExtensionFunction Unary<T>(string name, string type, Func<T, Value?> f) where T : Value =>
        new(name, 1, false, (ReadOnlySpan<Value> args, out string? error) =>
        {
            if (args[0] is not T a)
            {
                error = TypeError(name, type, args[0]);
                return null;
            }
            return Unwrap(name, f(a), out error);
        });

    private static ExtensionFunction Binary<T, U>(string name, string t, string u, Func<T, U, Value?> f)
        where T : Value where U : Value =>
        new(name, 2, false, (ReadOnlySpan<Value> args, out string? error) =>
        {
            if (args[0] is not T a)
            {
                error = TypeError(name, t, args[0]);
                return null;
            }
            if (args[1] is not U b)
            {
                error = TypeError(name, u, args[1]);
                return null;
            }
            return Unwrap(name, f(a, b), out error);
        });

    private static Value? Unwrap(string name, Value? v, out string? error)
    {
        error = v is null ? $"overflow while evaluating `{name}`" : null;
        return v;
    }

    private static string TypeError(string name, string expected, Value got) =>
        $"type error: `{name}` expects {expected}, got {got.TypeName}";
}
