using System.Collections.Immutable;
using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Json;

// Cedar's JSON form of a whole policy set:
// {"staticPolicies": {id: policy}, "templates": {id: template},
//  "templateLinks": [{"templateId": …, "newId": …, "values": {"?principal": {"type": …, "id": …}}}]}
public static partial class PolicyJson
{
    /// <summary>The policy set (static policies, templates and template links) as JSON.</summary>
    public static string PolicySetToJson(PolicySet set, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Write(w => WriteSet(w, set), indented);
    }

    /// <summary>Reads a policy set from JSON; ids come from the object keys and links.</summary>
    public static ParseResult<PolicySet> PolicySetFromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(json, ReadSet, CheckSet);
    }

    private static void WriteSet(Utf8JsonWriter w, PolicySet set)
    {
        w.WriteStartObject();
        w.WriteStartObject("staticPolicies");
        foreach (var p in set.Policies)
        {
            if (p.TemplateId is not null) continue;
            w.WritePropertyName(p.Id);
            PolicyJsonWriter.WritePolicy(w, p);
        }
        w.WriteEndObject();
        w.WriteStartObject("templates");
        foreach (var t in set.Templates)
        {
            w.WritePropertyName(t.Id);
            PolicyJsonWriter.WritePolicy(w, t);
        }
        w.WriteEndObject();
        w.WriteStartArray("templateLinks");
        foreach (var p in set.Policies)
        {
            if (p.TemplateId is null) continue;
            w.WriteStartObject();
            w.WriteString("templateId", p.TemplateId);
            w.WriteString("newId", p.Id);
            w.WriteStartObject("values");
            var template = set.Templates.FirstOrDefault(t => t.Id == p.TemplateId);
            if (template?.Principal.Entity is EntityRef.SlotRef && p.Principal.Entity is EntityRef.Literal lp)
            {
                w.WritePropertyName("?principal");
                PolicyJsonWriter.WriteUid(w, lp.Uid);
            }
            if (template?.Resource.Entity is EntityRef.SlotRef && p.Resource.Entity is EntityRef.Literal lr)
            {
                w.WritePropertyName("?resource");
                PolicyJsonWriter.WriteUid(w, lr.Uid);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static PolicySet ReadSet(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new PolicyJsonReader.PolicyJsonError("$", "expected an object");
        var statics = ImmutableArray.CreateBuilder<Policy>();
        var templates = ImmutableArray.CreateBuilder<Policy>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        JsonElement? links = null;
        foreach (var prop in root.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "staticPolicies":
                case "templates":
                    if (prop.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new PolicyJsonReader.PolicyJsonError("$." + prop.Name, "expected an object of id to policy");
                    }
                    foreach (var entry in prop.Value.EnumerateObject())
                    {
                        var path = $"$.{prop.Name}.{entry.Name}";
                        if (!ids.Add(entry.Name)) throw new PolicyJsonReader.PolicyJsonError(path, $"duplicate policy id `{Lexer.Clip(entry.Name)}`");
                        var policy = PolicyJsonReader.ReadPolicy(entry.Value, entry.Name);
                        if (prop.Name == "templates" != policy.IsTemplate)
                        {
                            throw new PolicyJsonReader.PolicyJsonError(path, policy.IsTemplate
                                ? "a static policy cannot contain template slots"
                                : "a template must contain at least one slot");
                        }
                        (policy.IsTemplate ? templates : statics).Add(policy);
                    }
                    break;
                case "templateLinks":
                    if (prop.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw new PolicyJsonReader.PolicyJsonError("$.templateLinks", "expected an array");
                    }
                    links = prop.Value;
                    break;
                default:
                    throw new PolicyJsonReader.PolicyJsonError("$", $"unexpected field `{Lexer.Clip(prop.Name)}`");
            }
        }
        var set = new PolicySet(statics.ToImmutable(), templates.ToImmutable());
        if (links is not { } linkArray) return set;
        var i = 0;
        foreach (var link in linkArray.EnumerateArray())
        {
            var path = $"$.templateLinks[{i++}]";
            if (link.ValueKind != JsonValueKind.Object) throw new PolicyJsonReader.PolicyJsonError(path, "expected an object");
            var templateId = LinkString(link, "templateId", path);
            var newId = LinkString(link, "newId", path);
            var values = new Dictionary<SlotId, EntityUid>();
            if (link.TryGetProperty("values", out var v))
            {
                if (v.ValueKind != JsonValueKind.Object) throw new PolicyJsonReader.PolicyJsonError(path + ".values", "expected an object");
                foreach (var slot in v.EnumerateObject())
                {
                    var id = slot.Name switch
                    {
                        "?principal" => SlotId.Principal,
                        "?resource" => SlotId.Resource,
                        _ => throw new PolicyJsonReader.PolicyJsonError(path + ".values", $"invalid slot `{Lexer.Clip(slot.Name)}`"),
                    };
                    values[id] = PolicyJsonReader.Uid(slot.Value, $"{path}.values.{slot.Name}");
                }
            }
            var linked = TemplateLinker.Link(set, templateId, newId, values);
            if (!linked.IsSuccess) throw new PolicyJsonReader.PolicyJsonError(path, linked.Diagnostics[0].Message);
            set = linked.Value;
        }
        return set;
    }

    private static string LinkString(JsonElement link, string name, string path) =>
        link.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new PolicyJsonReader.PolicyJsonError(path, $"missing string field `{name}`");

    private static string? CheckSet(PolicySet set)
    {
        foreach (var p in set.Policies.Concat(set.Templates))
        {
            if (CheckPolicy(p) is { } problem) return $"{problem} (in policy `{Lexer.Clip(p.Id)}`)";
        }
        return null;
    }
}
