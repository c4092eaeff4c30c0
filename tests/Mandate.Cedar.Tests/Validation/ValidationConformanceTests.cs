using System.Text.Json;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Tests.Support;
using Mandate.Cedar.Validation;

namespace Mandate.Cedar.Tests.Validation;

/// <summary>
/// Cedar's validation conformance: per-policy strict and permissive results from cedar-go's
/// <c>*.validation.json</c>, and the corpus tests' <c>shouldValidate</c>.
/// </summary>
public class ValidationConformanceTests
{
    private static string Corpus => CorpusCases.Dir;

    [Fact]
    public void Validate_EveryCedarGoValidationFile_MatchesStrictAndPermissiveResultsAndMessages()
    {
        var dir = Path.Combine(ConformanceData.ValidationRoot(), "corpus-tests-validation");
        var mismatches = new List<string>();
        int files = 0, policies = 0;
        foreach (var file in Directory.EnumerateFiles(dir, "*.validation.json").Order(StringComparer.Ordinal))
        {
            var hash = Path.GetFileName(file)[..^".validation.json".Length];
            var (schema, set) = Load(hash);
            files++;
            var strict = Validator.Validate(schema, set, ValidationMode.Strict);
            var permissive = Validator.Validate(schema, set, ValidationMode.Permissive);
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var p in doc.RootElement.GetProperty("policyValidation").GetProperty("perPolicy").EnumerateObject())
            {
                policies++;
                var wantStrict = p.Value.GetProperty("strict").GetBoolean();
                var wantPermissive = p.Value.GetProperty("permissive").GetBoolean();
                var gotStrict = strict.IsPolicyValid(p.Name);
                var gotPermissive = permissive.IsPolicyValid(p.Name);
                // Messages are compared too, as sets (the reference prefixes some with the policy id).
                Messages(hash, p.Name, "strict", p.Value, "strictErrors", strict.ErrorsFor(p.Name), mismatches);
                Messages(hash, p.Name, "permissive", p.Value, "permissiveErrors", permissive.ErrorsFor(p.Name), mismatches);
                if (wantStrict != gotStrict)
                {
                    mismatches.Add($"{hash} {p.Name} strict: want {wantStrict}, got {gotStrict}: "
                        + string.Join(" | ", strict.ErrorsFor(p.Name).Select(e => e.Message))
                        + " // expected: " + Expected(p.Value, "strictErrors"));
                }
                if (wantPermissive != gotPermissive)
                {
                    mismatches.Add($"{hash} {p.Name} permissive: want {wantPermissive}, got {gotPermissive}: "
                        + string.Join(" | ", permissive.ErrorsFor(p.Name).Select(e => e.Message))
                        + " // expected: " + Expected(p.Value, "permissiveErrors"));
                }
            }
        }
        if (Environment.GetEnvironmentVariable("MANDATE_VALIDATION_REPORT") is { Length: > 0 } report)
        {
            File.WriteAllLines(report, mismatches);
        }
        Assert.True(files >= 7750, $"only {files} validation files");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches over {policies} policies in {files} files:\n" + string.Join("\n", mismatches.Take(15)));
    }

    [Fact]
    public void Validate_EveryCorpusTest_StrictResultEqualsShouldValidate()
    {
        var mismatches = new List<string>();
        var tests = 0;
        foreach (var file in Directory.EnumerateFiles(Corpus, "*.json").Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".entities.json", StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var should = doc.RootElement.GetProperty("shouldValidate").GetBoolean();
            var hash = Path.GetFileNameWithoutExtension(file);
            var (schema, set) = Load(hash);
            tests++;
            var result = Validator.Validate(schema, set, ValidationMode.Strict);
            if (result.IsValid != should)
            {
                mismatches.Add($"{hash}: shouldValidate {should}, got {result.IsValid}: " + string.Join(" | ", result.Errors.Select(e => e.Message)));
            }
        }
        Assert.Equal(7809, tests);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {tests} tests disagree:\n" + string.Join("\n", mismatches.Take(15)));
    }

    [Fact]
    public void Validate_EveryCorpusEntityAndRequest_ConformsAsTheReferenceSays()
    {
        // The reference data marks every corpus entity and request valid (strict and permissive);
        // this checks the same of ours, read schema-aware as the runner reads them.
        var dir = Path.Combine(ConformanceData.ValidationRoot(), "corpus-tests-validation");
        var problems = new List<string>();
        int entities = 0, requests = 0, expectedRequests = 0;
        foreach (var file in Directory.EnumerateFiles(dir, "*.validation.json").Order(StringComparer.Ordinal))
        {
            var hash = Path.GetFileName(file)[..^".validation.json".Length];
            var (schema, _) = Load(hash);
            using var expected = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var r in expected.RootElement.GetProperty("requestValidation").EnumerateArray())
            {
                expectedRequests++;
                Assert.True(r.GetProperty("strict").GetBoolean() && r.GetProperty("permissive").GetBoolean());
            }

            var parsed = Json.EntityJson.ParseEntities(File.ReadAllText(Path.Combine(Corpus, hash + ".entities.json")), schema);
            Assert.True(parsed.Success, $"{hash}: " + string.Join("; ", parsed.Errors));
            entities += parsed.Value!.Count;
            problems.AddRange(EntityValidator.Validate(schema, parsed.Value).Select(e => $"{hash}: {e}"));

            using var test = JsonDocument.Parse(File.ReadAllText(Path.Combine(Corpus, hash + ".json")));
            foreach (var r in test.RootElement.GetProperty("requests").EnumerateArray())
            {
                var request = Json.RequestJson.Parse(r, schema);
                Assert.True(request.Success, $"{hash}: " + string.Join("; ", request.Errors));
                requests++;
                problems.AddRange(RequestValidator.Validate(schema, request.Value!).Select(e => $"{hash} request: {e}"));
            }
        }
        Assert.Equal(expectedRequests, requests);
        Assert.True(entities > 40_000, $"only {entities} entities");
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n" + string.Join("\n", problems.Take(15)));
    }

    private static (CedarSchema Schema, Ast.PolicySet Policies) Load(string hash)
    {
        var (_, schema, policies) = CorpusCases.Get(hash);
        return (schema, policies);
    }

    private static void Messages(string hash, string policyId, string mode, JsonElement policy, string property, IEnumerable<ValidationError> got, List<string> sink)
    {
        var want = policy.TryGetProperty(property, out var errors)
            ? errors.EnumerateArray().Select(e => e.GetString()!.Replace("for policy `" + policyId + "`, ", "")).ToHashSet()
            : [];
        var have = got.Select(e => e.Message).ToHashSet();
        if (!want.SetEquals(have)) sink.Add($"{hash} {policyId} {mode} messages: want [{string.Join(" | ", want)}] got [{string.Join(" | ", have)}]");
    }

    private static string Expected(JsonElement policy, string property) =>
        policy.TryGetProperty(property, out var errors) ? string.Join(" | ", errors.EnumerateArray().Select(e => e.GetString())) : "(none)";
}
