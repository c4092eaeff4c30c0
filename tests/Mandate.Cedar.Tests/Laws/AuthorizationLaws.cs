using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Requests;

namespace Mandate.Cedar.Tests.Laws;

/// <summary>
/// The authorization properties proved in Cedar's model, checked over generated policy sets
/// and requests.
/// </summary>
public class AuthorizationLaws
{
    private static bool SatisfiedAlone(Policy policy, Request request) =>
        PolicyGenerators.Decide([policy with { Effect = Effect.Permit }], request).IsAllowed;

    [Property(MaxTest = 300)]
    public Property IsAuthorized_AnySatisfiedForbid_Denies() =>
        Prop.ForAll(PolicyGenerators.Scenarios(), s =>
        {
            var forbidden = s.Policies.Any(p => p.Effect == Effect.Forbid && SatisfiedAlone(p, s.Request));
            var response = PolicyGenerators.Decide(s.Policies, s.Request);
            return !forbidden || (response.Decision == Decision.Deny
                                  && response.DeterminingPolicies.All(p => p.Effect == Effect.Forbid));
        });

    [Property(MaxTest = 300)]
    public Property IsAuthorized_NoPermits_DefaultDeny() =>
        Prop.ForAll(PolicyGenerators.Scenarios(), s =>
        {
            var forbidsOnly = s.Policies.Where(p => p.Effect == Effect.Forbid);
            return PolicyGenerators.Decide(forbidsOnly, s.Request).Decision == Decision.Deny;
        });

    [Property(MaxTest = 300)]
    public Property IsAuthorized_Allowed_OnlyIfSomePermitIsSatisfied() =>
        Prop.ForAll(PolicyGenerators.Scenarios(), s =>
        {
            var response = PolicyGenerators.Decide(s.Policies, s.Request);
            if (!response.IsAllowed) return true;
            return response.DeterminingPolicies.Count > 0
                   && response.DeterminingPolicies.All(p => p.Effect == Effect.Permit && SatisfiedAlone(p, s.Request))
                   && !s.Policies.Any(p => p.Effect == Effect.Forbid && SatisfiedAlone(p, s.Request));
        });

    [Property(MaxTest = 300)]
    public Property IsAuthorized_ReorderedAndDuplicatedPolicies_SameAnswer() =>
        Prop.ForAll(PolicyGenerators.Scenarios(), Arb.From(Gen.Choose(0, int.MaxValue)), (s, seed) =>
        {
            var original = PolicyGenerators.Decide(s.Policies, s.Request);
            var random = new Random(seed);
            // Shuffle, and append copies of some policies under fresh ids that map back to the original.
            var copies = s.Policies.Where(_ => random.Next(2) == 0)
                .Select((p, i) => p with { Id = $"copy{i}:{p.Id}" });
            var changed = s.Policies.Concat(copies).OrderBy(_ => random.Next()).ToArray();
            var other = PolicyGenerators.Decide(changed, s.Request);
            static string Origin(string id) => id.StartsWith("copy", StringComparison.Ordinal) ? id[(id.IndexOf(':') + 1)..] : id;
            return original.Decision == other.Decision
                   && original.Reasons.ToHashSet().SetEquals(other.Reasons.Select(Origin))
                   && original.Errors.Select(e => e.PolicyId).ToHashSet().SetEquals(other.Errors.Select(e => Origin(e.PolicyId)));
        });

    [Property(MaxTest = 300)]
    public Property IsAuthorized_Index_AgreesWithFullScan() =>
        Prop.ForAll(PolicyGenerators.Scenarios(), s =>
        {
            var authorizer = new Authorizer(new PolicySet([.. s.Policies], []));
            var indexed = authorizer.IsAuthorized(s.Request, PolicyGenerators.Store);
            var scanned = authorizer.IsAuthorizedWithoutIndex(s.Request, PolicyGenerators.Store);
            return indexed.Decision == scanned.Decision
                   && indexed.Reasons.SequenceEqual(scanned.Reasons)
                   && indexed.Errors.SequenceEqual(scanned.Errors);
        });
}

/// <summary>Guards the laws against vacuity: the generator must produce every kind of outcome.</summary>
public class PolicyGeneratorTests
{
    [Fact]
    public void Scenarios_Sample_CoverAllowForbidDefaultDenyAndErrors()
    {
        var sample = PolicyGenerators.Scenarios().Generator.Sample(500);
        var responses = sample.Select(s => PolicyGenerators.Decide(s.Policies, s.Request)).ToList();
        Assert.Contains(responses, r => r.IsAllowed);
        Assert.Contains(responses, r => !r.IsAllowed && r.Reasons.Count > 0);
        Assert.Contains(responses, r => !r.IsAllowed && r.Reasons.Count == 0);
        Assert.Contains(responses, r => r.Errors.Count > 0);
        Assert.True(responses.Count(r => r.IsAllowed) > 20, $"too few allowed scenarios for the laws to bite: {responses.Count(r => r.IsAllowed)} allowed; {sample.Length} scenarios, {sample.Sum(s => s.Policies.Length)} policies; {string.Join(" ", responses.Take(10))}");
    }
}
