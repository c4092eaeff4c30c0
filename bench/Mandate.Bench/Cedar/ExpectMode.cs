using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Cedar.Authorization;

namespace Mandate.Bench.Cedar;

/// <summary>
/// Fills in a generated workload's expected answers (decision, reason, errors) from this engine,
/// rewriting the test file in place. The reference run then reports any request it decides
/// differently, so the expectations are checked by both implementations.
/// </summary>
public static class ExpectMode
{
    /// <summary>Rewrites <paramref name="testPath"/>; returns the process exit code.</summary>
    public static int Run(string testPath)
    {
        var w = Workload.Load(testPath);
        var root = JsonNode.Parse(File.ReadAllText(testPath))!.AsObject();
        var requests = root["requests"]!.AsArray();
        int allow = 0, errors = 0;
        for (var i = 0; i < w.Requests.Length; i++)
        {
            var response = w.Authorizer.IsAuthorized(w.Requests[i], w.Entities);
            var r = requests[i]!.AsObject();
            r["decision"] = response.Decision == Decision.Allow ? "allow" : "deny";
            r["reason"] = new JsonArray([.. response.Reasons.Order(StringComparer.Ordinal).Select(id => (JsonNode?)JsonValue.Create(id))]);
            r["errors"] = new JsonArray([.. response.Errors.Select(e => e.PolicyId).Order(StringComparer.Ordinal).Select(id => (JsonNode?)JsonValue.Create(id))]);
            if (response.Decision == Decision.Allow) allow++;
            errors += response.Errors.Count;
        }
        File.WriteAllText(testPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1 }) + "\n");
        Console.WriteLine($"{testPath}: {w.Requests.Length} requests, {allow} allow, {w.Requests.Length - allow} deny, {errors} policy errors");
        return 0;
    }
}
