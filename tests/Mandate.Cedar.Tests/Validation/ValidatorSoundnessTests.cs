using System.Text.Json;
using Mandate.Cedar.Evaluation;
using Mandate.Cedar.Json;
using Mandate.Cedar.Validation;

namespace Mandate.Cedar.Tests.Validation;

/// <summary>
/// Cedar's promise for validated policies, checked on real data: a policy that passes strict
/// validation, evaluated on a request and entities that conform to the schema, yields a boolean
/// or one of the errors no typechecker can rule out (integer overflow, extension arithmetic,
/// an entity missing from the store) — never a type error, a missing tag or a
/// missing attribute.
/// </summary>
public class ValidatorSoundnessTests
{
    private static readonly string[] Unsound = ["type error", "does not have the attribute", "does not have the tag", "wrong number of arguments", "unsupported"];

    [Fact]
    public void Evaluate_StrictlyValidCorpusPolicies_NeverRaiseTypeErrors()
    {
        var violations = new List<string>();
        int validPolicies = 0, evaluations = 0, allowedErrors = 0;
        foreach (var hash in CorpusCases.Hashes)
        {
            var (_, schema, policies) = CorpusCases.Get(hash);
            var valid = policies.Policies.Where(p => Validator.ValidatePolicy(schema, p).Count == 0).ToList();
            if (valid.Count == 0) continue;
            validPolicies += valid.Count;
            var store = EntityJson.Parse(File.ReadAllText(Path.Combine(CorpusCases.Dir, hash + ".entities.json")), schema).Value!;
            Assert.Empty(EntityValidator.Validate(schema, store.All));
            using var test = JsonDocument.Parse(File.ReadAllText(Path.Combine(CorpusCases.Dir, hash + ".json")));
            foreach (var r in test.RootElement.GetProperty("requests").EnumerateArray())
            {
                var request = RequestJson.Parse(r, schema).Value!;
                Assert.Empty(RequestValidator.Validate(schema, request));
                foreach (var p in valid)
                {
                    evaluations++;
                    var result = Evaluator.Evaluate(PolicyCondition.Of(p), request, store);
                    if (result.IsSuccess)
                    {
                        if (result.Value is not Mandate.Cedar.Values.BoolValue) violations.Add($"{hash} {p.Id}: non-boolean {result.Value}");
                        continue;
                    }
                    allowedErrors++;
                    if (Unsound.Any(u => result.Error!.Contains(u, StringComparison.Ordinal))) violations.Add($"{hash} {p.Id}: {result.Error}");
                }
            }
        }
        Assert.True(validPolicies > 5_000, $"only {validPolicies} valid policies");
        Assert.True(evaluations > 40_000, $"only {evaluations} evaluations");
        Assert.True(allowedErrors > 0, "the corpus should exercise the errors validation cannot rule out");
        Assert.True(violations.Count == 0, $"{violations.Count} of {evaluations} evaluations:\n" + string.Join("\n", violations.Take(15)));
    }
}
