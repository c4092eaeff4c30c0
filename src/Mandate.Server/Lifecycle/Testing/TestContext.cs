using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Core.Decisions;

namespace Mandate.Server.Lifecycle.Testing;

/// <summary>
/// A test's <c>context</c> as the gateway would build it. Members the test leaves out take the values of a plain
/// call — <c>request</c> GET / from 127.0.0.1, a credential of method <c>oidc</c> with no scopes and 300 s left, no
/// delegation, a read without labels, no calls in the last minute, no approval, no session — and members the gateway
/// does not know go in as the front's extra members do.
/// </summary>
internal static class TestContext
{
    /// <summary>The context, or null after adding problems.</summary>
    public static DecisionContext? Read(JsonNode? node, string where, DateTimeOffset now, List<string> problems)
    {
        if (node is not null and not JsonObject)
        {
            problems.Add($"{where}: a mapping");
            return null;
        }

        var o = (JsonObject?)node ?? [];
        var before = problems.Count;
        if (o["now"] is { } n)
        {
            now = Time(n, where + ".now", problems) ?? now;
        }

        var request = Record(o, "request", where, problems, ["method", "path", "ip", "host"]);
        var token = Record(o, "token", where, problems, ["scopes", "method", "seconds_left"]);
        var delegation = Record(o, "delegation", where, problems, ["user", "chain", "depth"]);
        var call = Record(o, "call", where, problems, ["labels", "write"]);
        var rate = Record(o, "rate", where, problems, ["agent_calls_last_minute"]);
        var approval = Record(o, "approval", where, problems, ["granted", "by", "id", "at"]);
        var chain = Texts(delegation, "chain", $"{where}.delegation", problems) ?? [];
        var context = new DecisionContext(
            new RequestFacts(
                Text(request, "method", $"{where}.request", problems) ?? "GET",
                Text(request, "path", $"{where}.request", problems) ?? "/",
                Text(request, "ip", $"{where}.request", problems) ?? "127.0.0.1",
                Text(request, "host", $"{where}.request", problems) ?? "localhost"),
            new TokenFacts(
                Texts(token, "scopes", $"{where}.token", problems) ?? [],
                Text(token, "method", $"{where}.token", problems) ?? "oidc",
                Long(token, "seconds_left", $"{where}.token", problems) ?? 300),
            new DelegationFacts(Text(delegation, "user", $"{where}.delegation", problems) ?? "", chain, Long(delegation, "depth", $"{where}.delegation", problems) ?? chain.Count),
            now)
        {
            Call = new CallFacts(Texts(call, "labels", $"{where}.call", problems) ?? [], Bool(call, "write", $"{where}.call", problems) ?? false),
            AgentCallsLastMinute = Long(rate, "agent_calls_last_minute", $"{where}.rate", problems) ?? 0,
            Approval = approval is null
                ? ApprovalFacts.None
                : new ApprovalFacts(
                    Bool(approval, "granted", $"{where}.approval", problems) ?? false,
                    Text(approval, "by", $"{where}.approval", problems) ?? "",
                    Text(approval, "id", $"{where}.approval", problems) ?? "",
                    approval["at"] is { } at ? Time(at, $"{where}.approval.at", problems) ?? DateTimeOffset.UnixEpoch : DateTimeOffset.UnixEpoch),
            Session = o["session"] is { } s ? Session(s, $"{where}.session", now, problems) : null,
            Claims = o["claims"] is { } c ? Claims(c, $"{where}.claims", problems) : null,
            Args = o["args"] is { } args ? JsonSerializer.SerializeToElement(args) : null,
            Extra = o.Where(p => !Known.Contains(p.Key)).ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value)),
        };
        return problems.Count == before ? context : null;
    }

    private static readonly HashSet<string> Known = ["now", "request", "token", "delegation", "call", "rate", "approval", "session", "claims", "args"];

    private static SessionFacts? Session(JsonNode node, string where, DateTimeOffset now, List<string> problems)
    {
        if (node is not JsonObject s)
        {
            problems.Add($"{where}: a mapping");
            return null;
        }

        Unknown(s, where, problems, ["id", "intent", "allowed_tools", "resources", "in_task", "depth", "parent", "started", "expires", "tools_used", "calls", "writes", "labels_seen"]);
        return new SessionFacts(
            Text(s, "id", where, problems) ?? "test-session",
            Text(s, "intent", where, problems) ?? "",
            Texts(s, "allowed_tools", where, problems) ?? [],
            Texts(s, "resources", where, problems) ?? [],
            Bool(s, "in_task", where, problems) ?? true,
            Long(s, "depth", where, problems) ?? 0,
            Text(s, "parent", where, problems) ?? "",
            s["started"] is { } started ? Time(started, where + ".started", problems) ?? now : now,
            s["expires"] is { } expires ? Time(expires, where + ".expires", problems) ?? now.AddMinutes(5) : now.AddMinutes(5))
        {
            ToolsUsed = Texts(s, "tools_used", where, problems) ?? [],
            Calls = Long(s, "calls", where, problems) ?? 0,
            Writes = Long(s, "writes", where, problems) ?? 0,
            LabelsSeen = Texts(s, "labels_seen", where, problems) ?? [],
        };
    }

    private static IReadOnlyDictionary<string, ClaimValue>? Claims(JsonNode node, string where, List<string> problems)
    {
        if (node is not JsonObject o)
        {
            problems.Add($"{where}: a mapping");
            return null;
        }

        var claims = new Dictionary<string, ClaimValue>(StringComparer.Ordinal);
        foreach (var (name, value) in o)
        {
            if (ClaimValue.FromJson(JsonSerializer.SerializeToElement(value)) is { } claim)
            {
                claims[name] = claim;
            }
            else
            {
                problems.Add($"{where}.{name}: a claim is text, a whole number, true/false or a list of text");
            }
        }

        return claims;
    }

    private static JsonObject? Record(JsonObject o, string key, string where, List<string> problems, string[] members)
    {
        switch (o[key])
        {
            case null:
                return null;
            case JsonObject record:
                Unknown(record, $"{where}.{key}", problems, members);
                return record;
            default:
                problems.Add($"{where}.{key}: a mapping");
                return null;
        }
    }

    private static void Unknown(JsonObject o, string where, List<string> problems, string[] members)
    {
        foreach (var key in o.Select(p => p.Key).Where(k => !members.Contains(k)))
        {
            problems.Add($"{where}: unknown member `{key}` (known: {string.Join(", ", members)})");
        }
    }

    private static string? Text(JsonObject? o, string key, string where, List<string> problems) =>
        o is null ? null : PolicyTestReader.Text(o, key, $"{where}.{key}", problems);

    private static long? Long(JsonObject? o, string key, string where, List<string> problems) =>
        o?[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<long>(out var n) => n,
            _ => PolicyTestReader.Problem<long?>(problems, $"{where}.{key}: a whole number"),
        };

    private static bool? Bool(JsonObject? o, string key, string where, List<string> problems) =>
        o?[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => PolicyTestReader.Problem<bool?>(problems, $"{where}.{key}: true or false"),
        };

    private static IReadOnlyList<string>? Texts(JsonObject? o, string key, string where, List<string> problems) =>
        o?[key] switch
        {
            null => null,
            JsonArray a when a.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String) => a.Select(n => n!.GetValue<string>()).ToArray(),
            _ => PolicyTestReader.Problem<IReadOnlyList<string>>(problems, $"{where}.{key}: a list of text"),
        };

    private static DateTimeOffset? Time(JsonNode node, string where, List<string> problems) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : PolicyTestReader.Problem<DateTimeOffset?>(problems, $"{where}: a time like 2026-12-07T10:00:00Z");
}
