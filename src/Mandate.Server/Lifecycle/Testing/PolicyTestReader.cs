using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mandate.Core.Decisions;

namespace Mandate.Server.Lifecycle.Testing;

/// <summary>
/// Reads policy test files (docs/policy-lifecycle.md): YAML or JSON holding <c>tests</c>, a list of requests —
/// <c>principal</c> (or <c>agent</c>), <c>action</c>, <c>resource</c>, <c>context</c> — each with <c>expect</c>
/// (<c>allow</c> or <c>deny</c>) and optionally the determining <c>policies</c>. The context uses the vocabulary the
/// gateway gives policies; members a test leaves out get the values a plain call would have, so a test states only
/// what it is about. Every problem of a file is reported with its place, none stops the reading of the rest.
/// </summary>
public static partial class PolicyTestReader
{
    private static readonly HashSet<string> TopKeys = ["policies", "schema", "entities", "namespace", "tests"];
    private static readonly HashSet<string> CaseKeys = ["name", "principal", "agent", "action", "resource", "context", "expect", "policies"];

    /// <summary>Reads the file at <paramref name="path"/>; <paramref name="now"/> is the context's <c>now</c> unless a test sets it.</summary>
    public static PolicyTestFile Read(string path, DateTimeOffset now, string defaultNamespace = "Mandate")
    {
        var problems = new List<string>();
        var empty = new PolicyTestInputs(null, null, null, null);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PolicyTestFile(path, empty, [], [$"cannot read it: {e.Message}"]);
        }

        var (tree, error) = StructuredText.Read(text, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
        if (error is not null || tree is not JsonObject top)
        {
            return new PolicyTestFile(path, empty, [], [error ?? "the file must hold a mapping with `tests`"]);
        }

        foreach (var key in top.Select(p => p.Key).Where(k => !TopKeys.Contains(k)))
        {
            problems.Add($"unknown key `{key}` (known: {string.Join(", ", TopKeys)})");
        }

        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        string? PathOf(string key) => Text(top, key, key, problems) is { } p ? System.IO.Path.GetFullPath(p, folder) : null;
        var inputs = new PolicyTestInputs(PathOf("policies"), PathOf("schema"), PathOf("entities"), Text(top, "namespace", "namespace", problems));
        var ns = inputs.Namespace ?? defaultNamespace;

        var cases = new List<PolicyTestCase>();
        if (top["tests"] is not JsonArray tests || tests.Count == 0)
        {
            problems.Add("`tests` must be a non-empty list");
            return new PolicyTestFile(path, inputs, cases, problems);
        }

        for (var i = 0; i < tests.Count; i++)
        {
            var where = $"tests[{i}]";
            if (tests[i] is not JsonObject test)
            {
                problems.Add($"{where}: a test is a mapping");
                continue;
            }

            var before = problems.Count;
            var testCase = ReadCase(path, i, test, ns, now, problems);
            if (testCase is not null && problems.Count == before)
            {
                cases.Add(testCase);
            }
        }

        return new PolicyTestFile(path, inputs, cases, problems);
    }

    private static PolicyTestCase? ReadCase(string file, int index, JsonObject test, string ns, DateTimeOffset now, List<string> problems)
    {
        var where = $"tests[{index}]";
        var name = Text(test, "name", where + ".name", problems) ?? where;
        var at = name == where ? where : $"{where} ({name})";
        foreach (var key in test.Select(p => p.Key).Where(k => !CaseKeys.Contains(k)))
        {
            problems.Add($"{at}: unknown key `{key}` (known: {string.Join(", ", CaseKeys)})");
        }

        ResourceDescriptor? principal = null;
        string? agent = null;
        if (test["agent"] is not null && test["principal"] is not null)
        {
            problems.Add($"{at}: give `agent` or `principal`, not both");
        }
        else if (Text(test, "agent", at + ".agent", problems) is { } agentId)
        {
            agent = agentId;
        }
        else if (Entity(test["principal"], ns, at + ".principal", problems) is { } p)
        {
            principal = p;
            agent = p.Entity.Id;
        }
        else if (test["principal"] is null && test["agent"] is null)
        {
            problems.Add($"{at}: `agent` or `principal` is required");
        }

        var action = ActionOf(test["action"], ns, at + ".action", problems);
        var resource = Entity(test["resource"], ns, at + ".resource", problems);
        if (test["resource"] is null) problems.Add($"{at}.resource: required");

        bool? expectAllow = (Text(test, "expect", at + ".expect", problems)) switch
        {
            "allow" => true,
            "deny" => false,
            null => null,
            var other => Problem<bool?>(problems, $"{at}.expect: `{other}` is neither `allow` nor `deny`"),
        };
        if (test["expect"] is null) problems.Add($"{at}.expect: required (`allow` or `deny`)");

        IReadOnlyList<string>? policies = null;
        if (test["policies"] is { } ids)
        {
            policies = ids is JsonArray list && list.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                ? list.Select(n => n!.GetValue<string>()).ToArray()
                : Problem<IReadOnlyList<string>>(problems, $"{at}.policies: a list of policy ids");
        }

        var context = TestContext.Read(test["context"], at + ".context", now, problems);
        if (agent is null || action is null || resource is null || expectAllow is null || context is null)
        {
            return null;
        }

        var caller = new CallerIdentity(agent, context.Token.Method, "", context.Delegation.User.Length == 0 ? null : context.Delegation.User,
            context.Delegation.Chain, context.Token.Scopes, null, null);
        var request = new DecisionRequest($"test-{index}", caller, action, resource, context) { Principal = principal };
        return new PolicyTestCase(file, index, name, request, expectAllow.Value, policies);
    }

    // "Type::\"id\"" (short types get the namespace) or { type, id, attributes?, parents? }.
    private static ResourceDescriptor? Entity(JsonNode? node, string ns, string where, List<string> problems)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return Uid(v.GetValue<string>(), ns, where, problems) is { } uid ? new ResourceDescriptor(uid, [], Empty) : null;
            case JsonObject o:
            {
                foreach (var key in o.Select(p => p.Key).Where(k => k is not ("type" or "id" or "attributes" or "parents")))
                {
                    problems.Add($"{where}: unknown key `{key}` (known: type, id, attributes, parents)");
                }

                var type = Text(o, "type", where + ".type", problems);
                var id = o["id"] is JsonValue idValue && idValue.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? idValue.ToString() : null;
                if (type is null || id is null)
                {
                    problems.Add($"{where}: an entity needs `type` and `id`");
                    return null;
                }

                var parents = new List<EntityRef>();
                if (o["parents"] is { } ps)
                {
                    if (ps is not JsonArray list)
                    {
                        problems.Add($"{where}.parents: a list of entities");
                    }
                    else
                    {
                        for (var i = 0; i < list.Count; i++)
                        {
                            if (Entity(list[i], ns, $"{where}.parents[{i}]", problems) is { } parent) parents.Add(parent.Entity);
                        }
                    }
                }

                var attributes = Empty;
                if (o["attributes"] is { } attrs)
                {
                    attributes = attrs is JsonObject record
                        ? record.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value))
                        : Problem<IReadOnlyDictionary<string, JsonElement>>(problems, $"{where}.attributes: a mapping") ?? Empty;
                }

                return new ResourceDescriptor(new EntityRef(Qualify(type, ns), id), parents, attributes);
            }

            default:
                problems.Add($"{where}: an entity is `Type::\"id\"` or a mapping with `type` and `id`");
                return null;
        }
    }

    private static EntityRef? ActionOf(JsonNode? node, string ns, string where, List<string> problems)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            return text.Contains("::\"", StringComparison.Ordinal) ? Uid(text, ns, where, problems) : new EntityRef(Qualify("Action", ns), text);
        }

        problems.Add(node is null ? $"{where}: required" : $"{where}: an action id (`read`) or uid (`Ns::Action::\"read\"`)");
        return null;
    }

    /// <summary>An entity uid in Cedar's text form (<c>Ns::Type::"id"</c>, as audit records write them), or null.</summary>
    public static EntityRef? ParseUid(string text) =>
        UidPattern().Match(text) is { Success: true } m ? new EntityRef(m.Groups["type"].Value, Regex.Unescape(m.Groups["id"].Value)) : null;

    private static EntityRef? Uid(string text, string ns, string where, List<string> problems)
    {
        var m = UidPattern().Match(text);
        if (!m.Success)
        {
            problems.Add($"{where}: `{text}` is not an entity uid like `Ticket::\"7\"`");
            return null;
        }

        var id = Regex.Unescape(m.Groups["id"].Value);
        return new EntityRef(Qualify(m.Groups["type"].Value, ns), id);
    }

    internal static string? Text(JsonObject o, string key, string where, List<string> problems)
    {
        switch (o[key])
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return v.GetValue<string>();
            default:
                problems.Add($"{where}: text expected");
                return null;
        }
    }

    internal static T? Problem<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default;
    }

    private static string Qualify(string type, string ns) => ns.Length == 0 || type.Contains("::", StringComparison.Ordinal) ? type : $"{ns}::{type}";

    private static readonly IReadOnlyDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();

    [GeneratedRegex("""^(?<type>[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*)::"(?<id>(?:[^"\\]|\\.)*)"$""")]
    private static partial Regex UidPattern();
}
