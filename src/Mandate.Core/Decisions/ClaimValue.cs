using System.Text.Json;

namespace Mandate.Core.Decisions;

/// <summary>
/// One verified token claim carried into the Cedar context (<c>context.claims.NAME</c>). Only the shapes Cedar
/// can hold without interpretation are carried: a string, a whole number (Long), a boolean, or an array of
/// strings (Set&lt;String&gt;). Anything else (objects, fractions, mixed arrays, null) is left out.
/// </summary>
public abstract record ClaimValue
{
    private ClaimValue()
    {
    }

    /// <summary>A string claim → Cedar String.</summary>
    public sealed record Text(string Value) : ClaimValue;

    /// <summary>A whole-number claim that fits 64 bits → Cedar Long.</summary>
    public sealed record Number(long Value) : ClaimValue;

    /// <summary>A boolean claim → Cedar Bool.</summary>
    public sealed record Flag(bool Value) : ClaimValue;

    /// <summary>An array of strings → Cedar Set&lt;String&gt;.</summary>
    public sealed record TextSet(IReadOnlyList<string> Values) : ClaimValue;

    /// <summary>The claim's value, or null when it has none of the carried shapes.</summary>
    public static ClaimValue? FromJson(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return new Text(json.GetString()!);
            case JsonValueKind.Number when json.TryGetInt64(out var n):
                return new Number(n);
            case JsonValueKind.True:
                return new Flag(true);
            case JsonValueKind.False:
                return new Flag(false);
            case JsonValueKind.Array:
                var items = new List<string>();
                foreach (var item in json.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    items.Add(item.GetString()!);
                }

                return new TextSet(items);
            default:
                return null;
        }
    }

    /// <summary>
    /// The named claims of a verified payload that have a carried shape; claims that are absent or of another
    /// shape are simply not in the result (so a policy tests them with <c>has</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, ClaimValue> Select(JsonElement payload, IReadOnlyList<string> names)
    {
        var selected = new Dictionary<string, ClaimValue>(StringComparer.Ordinal);
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return selected;
        }

        foreach (var name in names)
        {
            if (payload.TryGetProperty(name, out var json) && FromJson(json) is { } value)
            {
                selected[name] = value;
            }
        }

        return selected;
    }
}
