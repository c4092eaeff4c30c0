using System.Text.Json;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Json;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Validation;

namespace Mandate.Cedar.Tests.Conformance;

/// <summary>
/// Runs one Cedar integration test file (policies, entities, schema, requests with expected
/// answers) the way the conformance README prescribes: positional policy ids, entities and
/// context read against the schema, requests validated against it, decision compared exactly
/// and reasons/errors compared as sets of policy ids.
/// </summary>
public static class ConformanceRunner
{
    /// <summary>The outcome of one test file.</summary>
    public sealed record FileOutcome(string Name, int Requests, IReadOnlyList<string> Mismatches);

    /// <summary>Runs the test file at <paramref name="testPath"/>, resolving its data files against <paramref name="roots"/>.</summary>
    public static FileOutcome Run(string testPath, params string[] roots)
    {
        var name = Path.GetFileName(testPath);
        using var doc = JsonDocument.Parse(File.ReadAllText(testPath));
        var test = doc.RootElement;
        var requests = test.GetProperty("requests");
        var count = requests.GetArrayLength();
        var mismatches = new List<string>();

        string Read(string property) => File.ReadAllText(Resolve(test.GetProperty(property).GetString()!, roots));

        CedarSchema? schema = null;
        if (test.TryGetProperty("schema", out var schemaProp) && schemaProp.ValueKind == JsonValueKind.String)
        {
            var parsed = SchemaParser.Parse(Read("schema"), "schema");
            if (!parsed.Success) return Fail($"schema: {string.Join("; ", parsed.Diagnostics)}");
            schema = parsed.Schema;
        }
        var policies = PolicyParser.ParsePolicySet(Read("policies"), "policies");
        if (!policies.IsSuccess) return Fail($"policies: {string.Join("; ", policies.Diagnostics)}");
        var entities = EntityJson.Parse(Read("entities"), schema);
        if (!entities.Success) return Fail($"entities: {string.Join("; ", entities.Errors)}");

        var authorizer = new Authorizer(policies.Value);
        var index = 0;
        foreach (var req in requests.EnumerateArray())
        {
            var label = req.TryGetProperty("description", out var d) ? d.GetString() : $"request {index}";
            index++;
            var request = RequestJson.Parse(req, schema);
            if (!request.Success)
            {
                mismatches.Add($"{name} / {label}: request rejected: {string.Join("; ", request.Errors)}");
                continue;
            }
            if (schema is not null && RequestValidator.Validate(schema, request.Value!) is { Count: > 0 } invalid)
            {
                mismatches.Add($"{name} / {label}: request fails validation: {string.Join("; ", invalid)}");
                continue;
            }
            var response = authorizer.IsAuthorized(request.Value!, entities.Value!);
            var expectedDecision = req.GetProperty("decision").GetString();
            var actualDecision = response.IsAllowed ? "allow" : "deny";
            var expectedReasons = Ids(req.GetProperty("reason"));
            var expectedErrors = Ids(req.GetProperty("errors"));
            var actualReasons = response.Reasons.ToHashSet();
            var actualErrors = response.Errors.Select(e => e.PolicyId).ToHashSet();
            if (expectedDecision != actualDecision || !expectedReasons.SetEquals(actualReasons) || !expectedErrors.SetEquals(actualErrors))
            {
                mismatches.Add(
                    $"{name} / {label}: expected {expectedDecision} reasons [{string.Join(",", expectedReasons.Order())}] errors [{string.Join(",", expectedErrors.Order())}]; "
                    + $"got {actualDecision} reasons [{string.Join(",", actualReasons.Order())}] errors [{string.Join("; ", response.Errors)}]");
            }
        }
        return new FileOutcome(name, count, mismatches);

        FileOutcome Fail(string why) =>
            new(name, count, [.. Enumerable.Range(0, count).Select(i => i == 0 ? $"{name}: {why}" : $"{name}: (same failure, request {i})")]);
    }

    private static HashSet<string> Ids(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("policyId").GetString()!).ToHashSet();

    private static string Resolve(string relative, string[] roots)
    {
        foreach (var root in roots)
        {
            var p = Path.Combine(root, relative);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException($"conformance file `{relative}` not found under {string.Join(", ", roots)}");
    }
}
