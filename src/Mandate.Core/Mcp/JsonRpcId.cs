using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>
/// A JSON-RPC id exactly as the client wrote it: a string (escapes kept) or an integer. Answers echo
/// <see cref="RawJson"/> byte for byte; equality compares the value (<c>"a"</c> equals <c>"\u0061"</c>, and
/// <c>1</c> never equals <c>"1"</c>), so id collisions cannot hide behind escapes.
/// </summary>
public readonly struct JsonRpcId : IEquatable<JsonRpcId>
{
    private readonly string? _raw;
    private readonly string? _key;

    private JsonRpcId(string raw, string key)
    {
        _raw = raw;
        _key = key;
    }

    /// <summary>The JSON <c>null</c> id (only for error responses whose request id could not be read).</summary>
    public static JsonRpcId Null { get; } = new("null", "z");

    /// <summary>The id's JSON text as received, e.g. <c>"abc"</c> (with quotes) or <c>42</c>.</summary>
    public string RawJson => _raw ?? "null";

    /// <summary>True for a string id.</summary>
    public bool IsString => _key is ['s', ..];

    /// <summary>True for an integer id.</summary>
    public bool IsNumber => _key is ['n', ..];

    /// <summary>True for the null id (also for <c>default</c>).</summary>
    public bool IsNull => _key is null or "z";

    /// <summary>The string value (unescaped) of a string id; null otherwise.</summary>
    public string? StringValue => IsString ? _key![1..] : null;

    /// <summary>The value of an integer id; null otherwise.</summary>
    public long? NumberValue => IsNumber ? long.Parse(_key.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// Reads an id: a string, or an integer that fits a 64-bit signed integer written without fraction or
    /// exponent; <c>null</c> only when <paramref name="allowNull"/>. Anything else is refused.
    /// </summary>
    public static bool TryRead(JsonElement element, bool allowNull, out JsonRpcId id)
    {
        id = default;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                id = new JsonRpcId(element.GetRawText(), "s" + element.GetString());
                return true;
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                // JSON-RPC ids SHOULD NOT have fractions; Mandate refuses them (and exponents), because two
                // texts of one number (1, 1.0, 1e0) would otherwise be two ids to one peer and one to another.
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0 || !element.TryGetInt64(out var value))
                {
                    return false;
                }
                id = new JsonRpcId(raw, "n" + value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return true;
            case JsonValueKind.Null when allowNull:
                id = Null;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes the id's raw JSON as a value.</summary>
    public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(RawJson, skipInputValidation: false);

    /// <inheritdoc />
    public bool Equals(JsonRpcId other) => string.Equals(_key ?? "z", other._key ?? "z", StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is JsonRpcId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_key ?? "z");

    /// <summary>Value equality.</summary>
    public static bool operator ==(JsonRpcId left, JsonRpcId right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(JsonRpcId left, JsonRpcId right) => !left.Equals(right);

    /// <summary>The raw JSON text.</summary>
    public override string ToString() => RawJson;
}
