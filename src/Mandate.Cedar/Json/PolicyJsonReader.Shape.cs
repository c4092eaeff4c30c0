using System.Text.Json;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Json;

// Checks on the shape of the JSON (field present, of the right kind, no unknown fields); each failure
// is a PolicyJsonError carrying the JSON path.
internal static partial class PolicyJsonReader
{
    private static JsonElement Property(JsonElement e, string name, string path) =>
        e.TryGetProperty(name, out var value) ? value : throw new PolicyJsonError(path, $"missing field `{name}`");

    private static string String(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new PolicyJsonError(path, $"expected a string, found {Kind(e)}");

    private static void RequireObject(JsonElement e, string path) => RequireKind(e, JsonValueKind.Object, path, "an object");

    private static void RequireKind(JsonElement e, JsonValueKind kind, string path, string what)
    {
        if (e.ValueKind != kind) throw new PolicyJsonError(path, $"expected {what}, found {Kind(e)}");
    }

    private static void OnlyFields(JsonElement e, string path, params string[] allowed)
    {
        foreach (var prop in e.EnumerateObject())
        {
            if (Array.IndexOf(allowed, prop.Name) < 0) throw new PolicyJsonError(path, $"unexpected field `{Lexer.Clip(prop.Name)}`");
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
