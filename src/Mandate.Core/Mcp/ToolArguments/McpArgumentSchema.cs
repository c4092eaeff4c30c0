using System.Text.Json;

namespace Mandate.Core.Mcp.ToolArguments;

/// <summary>
/// Reads a tool's <c>inputSchema</c> (JSON Schema) into <see cref="McpArgumentType"/>s and checks arguments against
/// them. Mapped: <c>string</c> (with <c>enum</c>), <c>integer</c>, <c>boolean</c>, <c>object</c> with
/// <c>properties</c> / <c>required</c> / <c>additionalProperties: false</c>, <c>array</c> with <c>items</c>. Not mapped
/// (left out of the Cedar schema, listed in <see cref="Unmapped"/>): <c>number</c> (Cedar has no fractions; it is
/// still checked to be a number), a list of types, <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>/<c>not</c>, <c>$ref</c>,
/// <c>null</c>, an array without <c>items</c>, formats, patterns and bounds (never checked).
/// </summary>
public sealed class McpArgumentSchema
{
    private const int MaxDepth = 32;

    private McpArgumentSchema(McpArgumentType root, IReadOnlyList<string> unmapped)
    {
        Root = root;
        Unmapped = unmapped;
    }

    /// <summary>The arguments object's type.</summary>
    public McpArgumentType Root { get; }

    /// <summary>Each part that could not be mapped: its path (<c>args.a.b</c>) and why.</summary>
    public IReadOnlyList<string> Unmapped { get; }

    /// <summary>Reads <paramref name="inputSchema"/>.</summary>
    public static McpArgumentSchema Read(JsonElement inputSchema)
    {
        var unmapped = new List<string>();
        var root = TypeOf(inputSchema, "args", unmapped, 0);
        return new McpArgumentSchema(root, unmapped);
    }

    /// <summary>
    /// Why <paramref name="arguments"/> (a tool call's <c>arguments</c>; null when absent) does not have the declared
    /// types, naming the argument's path (<c>args.amount</c>), or null when it does.
    /// </summary>
    public string? Check(JsonElement? arguments) =>
        arguments is { } a ? Check(Root, a, "args", 0) : Check(Root, JsonDocument.Parse("{}").RootElement, "args", 0);

    private static McpArgumentType TypeOf(JsonElement schema, string path, List<string> unmapped, int depth)
    {
        McpArgumentType Unmapped(string why)
        {
            unmapped.Add($"{path}: {why}");
            return new McpArgumentType(McpArgumentKind.Unmapped) { Why = why };
        }

        if (depth > MaxDepth)
        {
            return Unmapped("nested too deep");
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return Unmapped("the schema is not an object");
        }

        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf", "not", "$ref" })
        {
            if (schema.TryGetProperty(combinator, out _))
            {
                return Unmapped($"`{combinator}` has no cedar type");
            }
        }

        string? type = null;
        if (schema.TryGetProperty("type", out var t))
        {
            if (t.ValueKind != JsonValueKind.String)
            {
                return Unmapped("a list of types has no cedar type");
            }

            type = t.GetString();
        }
        else if (schema.TryGetProperty("properties", out _))
        {
            type = "object";
        }

        switch (type)
        {
            case "string":
                var values = schema.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
                    ? e.EnumerateArray().Select(v => v.GetString()!).ToArray()
                    : null;
                return new McpArgumentType(McpArgumentKind.String) { Enum = values };
            case "integer":
                return new McpArgumentType(McpArgumentKind.Long);
            case "boolean":
                return new McpArgumentType(McpArgumentKind.Bool);
            case "number":
                const string why = "`number` may have a fraction, which cedar cannot hold (a whole number reaches policies as Long, a fraction as its text)";
                unmapped.Add($"{path}: {why}");
                return new McpArgumentType(McpArgumentKind.Number) { Why = why };
            case "array":
                if (!schema.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object)
                {
                    return Unmapped("an array without one `items` schema has no cedar element type");
                }

                return new McpArgumentType(McpArgumentKind.Set) { Element = TypeOf(items, path + "[]", unmapped, depth + 1) };
            case "object":
                var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal)
                    : [];
                var attributes = new List<McpArgumentAttribute>();
                if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in properties.EnumerateObject())
                    {
                        attributes.Add(new McpArgumentAttribute(p.Name, TypeOf(p.Value, path + "." + p.Name, unmapped, depth + 1), required.Contains(p.Name)));
                    }
                }

                var closed = schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False;
                return new McpArgumentType(McpArgumentKind.Record) { Attributes = attributes, Closed = closed };
            default:
                return Unmapped(type is null ? "no `type`" : $"`{type}` has no cedar type");
        }
    }

    private static string? Check(McpArgumentType type, JsonElement value, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (type.Kind)
        {
            case McpArgumentKind.String when value.ValueKind != JsonValueKind.String:
                return Expected(path, "a string", value);
            case McpArgumentKind.String when type.Enum is { } allowed && !allowed.Contains(value.GetString()!, StringComparer.Ordinal):
                return $"`{path}` must be one of {string.Join(", ", allowed.Take(10).Select(v => "`" + v + "`"))}";
            case McpArgumentKind.Long when value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _):
                return Expected(path, "an integer", value);
            case McpArgumentKind.Bool when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                return Expected(path, "a boolean", value);
            case McpArgumentKind.Number when value.ValueKind != JsonValueKind.Number:
                return Expected(path, "a number", value);
            case McpArgumentKind.Set when value.ValueKind != JsonValueKind.Array:
                return Expected(path, "an array", value);
            case McpArgumentKind.Set:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Check(type.Element!, item, $"{path}[{i++}]", depth + 1) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case McpArgumentKind.Record when value.ValueKind != JsonValueKind.Object:
                return Expected(path, "an object", value);
            case McpArgumentKind.Record:
                foreach (var attribute in type.Attributes)
                {
                    if (!value.TryGetProperty(attribute.Name, out var member))
                    {
                        if (attribute.Required)
                        {
                            return $"`{path}.{attribute.Name}` is required";
                        }

                        continue;
                    }

                    if (Check(attribute.Type, member, path + "." + attribute.Name, depth + 1) is { } problem)
                    {
                        return problem;
                    }
                }

                if (type.Closed)
                {
                    foreach (var member in value.EnumerateObject())
                    {
                        if (type.Attributes.All(a => a.Name != member.Name))
                        {
                            return $"`{path}.{Shorten(member.Name)}` is not an argument of this tool";
                        }
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string Expected(string path, string what, JsonElement got) => $"`{path}` must be {what}, not {Describe(got)}";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a number with a fraction",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
