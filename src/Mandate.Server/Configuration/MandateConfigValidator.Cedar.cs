using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mandate.Core.Decisions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mandate.Server.Configuration;

// Cedar names and values written in YAML, shared by `agents`, `routes` and their resources: entity
// references, action references, entity types qualified by the namespace, and attribute values.
public sealed partial class MandateConfigValidator
{
    private EntityRef? EntityReference(EntityDocument? e, string path, string ns)
    {
        if (e?.Type is null || e.Id is null)
        {
            Problem(path, "an entity needs `type` and `id`");
            return null;
        }

        return new EntityRef(EntityType(e.Type, $"{path}.type", ns), e.Id);
    }

    private EntityRef? ActionReference(string text, string path, string ns)
    {
        var m = QualifiedUid().Match(text);
        if (m.Success)
        {
            if (!m.Groups["type"].Value.EndsWith("Action", StringComparison.Ordinal))
            {
                Problem(path, $"`{text}` is not an action (its type must be Action or Ns::Action)");
                return null;
            }

            return new EntityRef(m.Groups["type"].Value, m.Groups["id"].Value.Replace("\\\"", "\"").Replace("\\\\", "\\"));
        }

        if (text.Length == 0 || text.Any(c => c < 0x20 || c == '"'))
        {
            Problem(path, $"`{text}` is not an action: write a short name (`read`) or `Mandate::Action::\"read\"`");
            return null;
        }

        return new EntityRef(Qualify("Action", ns), text);
    }

    private string EntityType(string text, string path, string ns)
    {
        if (!CedarPath().IsMatch(text))
        {
            Problem(path, $"`{text}` is not a cedar entity type (Name or Ns::Name)");
            return text;
        }

        return text.Contains("::", StringComparison.Ordinal) ? text : Qualify(text, ns);
    }

    private static string Qualify(string name, string ns) => ns.Length == 0 ? name : $"{ns}::{name}";

    private IReadOnlyDictionary<string, JsonElement> Attributes(string path)
    {
        var node = _index[path];
        if (node is null || YamlNodeIndex.IsNull(node))
        {
            return new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        }

        if (node is not YamlMappingNode mapping)
        {
            Problem(path, "expected a mapping of attribute names to values");
            return new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (k, v) in mapping.Children)
        {
            if (k is not YamlScalarNode { Value: var key } || HasComplexKey(v))
            {
                // YAML allows a list or a mapping as a key (`? [a, b]: 1`); a Cedar record's field names are text (found by fuzzing).
                Problem(path, "attribute and record field names must be plain text, not a list or mapping");
                continue;
            }

            var name = key ?? "";
            if (ContainsNull(v))
            {
                // Cedar has no null; an absent attribute is written by leaving it out.
                Problem($"{path}.{name}", "cedar has no null value; leave the attribute out instead");
                continue;
            }

            result[name] = ToJson(v);
        }

        return result;
    }

    private static bool HasComplexKey(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.Any(c => c.Key is not YamlScalarNode || HasComplexKey(c.Value)),
        YamlSequenceNode s => s.Children.Any(HasComplexKey),
        _ => false,
    };

    private static bool ContainsNull(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.Values.Any(ContainsNull),
        YamlSequenceNode s => s.Children.Any(ContainsNull),
        _ => YamlNodeIndex.IsNull(node),
    };

    /// <summary>
    /// YAML → Cedar JSON value: quoted scalars are strings; plain <c>true</c>/<c>false</c> are booleans;
    /// plain integers are Longs; anything else is a string; mappings are records (or <c>__entity</c>/<c>__extn</c> escapes).
    /// </summary>
    internal static JsonElement ToJson(YamlNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();

        static void Write(Utf8JsonWriter w, YamlNode n)
        {
            switch (n)
            {
                case YamlMappingNode m:
                    w.WriteStartObject();
                    foreach (var (k, v) in m.Children)
                    {
                        w.WritePropertyName(((YamlScalarNode)k).Value ?? "");
                        Write(w, v);
                    }

                    w.WriteEndObject();
                    break;
                case YamlSequenceNode s:
                    w.WriteStartArray();
                    foreach (var item in s.Children)
                    {
                        Write(w, item);
                    }

                    w.WriteEndArray();
                    break;
                case YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } p when p.Value is "true" or "false":
                    w.WriteBooleanValue(p.Value == "true");
                    break;
                case YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } p when long.TryParse(p.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                    w.WriteNumberValue(l);
                    break;
                case YamlScalarNode p:
                    w.WriteStringValue(p.Value ?? "");
                    break;
                default:
                    w.WriteNullValue();
                    break;
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex CedarPath();

    [GeneratedRegex("^(?<type>[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*)::\"(?<id>(\\\\.|[^\"\\\\])*)\"$")]
    private static partial Regex QualifiedUid();
}
