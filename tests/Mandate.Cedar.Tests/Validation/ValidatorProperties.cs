using System.Collections.Immutable;
using FsCheck.Xunit;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Evaluation;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Tests.Syntax;
using Mandate.Cedar.Validation;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Validation;

/// <summary>
/// Laws of the validator over generated policies and conditions: it never throws, strict
/// validity implies permissive validity, and (soundness) a condition that passes strict
/// validation evaluates to a boolean or to an error no typechecker can rule out.
/// </summary>
public sealed class ValidatorProperties
{
    // Names match the generators' vocabulary (CedarArbitraries), so a fair share validates.
    private static readonly CedarSchema Schema = SchemaParser.Parse("""
        entity Group = { name: String };
        entity User in [Group] = { a: Long, b?: String, name: String, owner: User, Z: Set<Long> } tags Long;
        namespace NS { entity Doc = { owner: User, name?: String }; }
        namespace A::B { entity C; }
        action act appliesTo { principal: [User], resource: [User, NS::Doc], context: { a: Long, name: String, b?: Bool } };
        """).Schema!;

    private static readonly EntityUid Alice = new("User", "alice");
    private static readonly EntityUid Doc = new("NS::Doc", "d");
    private static readonly EntityUid Act = new("Action", "act");

    private static RecordValue Record(params (string Key, Value Value)[] fields) =>
        Value.Record(fields.Select(f => new KeyValuePair<string, Value>(f.Key, f.Value)));

    private static readonly EntityStore Store = new([
        new Entity(Alice, Record(("a", Value.Long(7)), ("name", Value.String("alice")), ("owner", Value.Entity(Alice)), ("Z", Value.Set(Value.Long(1)))),
            [new EntityUid("Group", "g")], Record(("a", Value.Long(1)))),
        new Entity(new EntityUid("Group", "g"), Record(("name", Value.String("g")))),
        new Entity(Doc, Record(("owner", Value.Entity(Alice)))),
        new Entity(Act),
    ]);

    private static readonly Request[] Requests =
    [
        new(Alice, Act, Alice, Record(("a", Value.Long(1)), ("name", Value.String("n")))),
        new(Alice, Act, Doc, Record(("a", Value.Long(long.MaxValue)), ("name", Value.String("")), ("b", Value.True))),
    ];

    private static readonly string[] Allowed = ["overflow", "does not exist", "error in `", "out of range", "offset", "durationSince", "toDate"];

    [Property(Arbitrary = [typeof(CedarArbitraries)], MaxTest = 300)]
    public bool Validate_GeneratedPolicy_NeverThrowsAndStrictImpliesPermissive(Policy policy)
    {
        var set = policy.IsTemplate
            ? new PolicySet(ImmutableArray<Policy>.Empty, [policy])
            : new PolicySet([policy], ImmutableArray<Policy>.Empty);
        var strict = Validator.Validate(Schema, set, ValidationMode.Strict);
        var permissive = Validator.Validate(Schema, set, ValidationMode.Permissive);
        return !strict.IsValid || permissive.IsValid;
    }

    // About 4% of generated conditions validate, so 3,000 cases check the promise on ~120.
    [Property(Arbitrary = [typeof(CedarArbitraries)], MaxTest = 3000)]
    public bool Evaluate_StrictlyValidGeneratedCondition_YieldsBooleanOrAllowedError(Expr condition)
    {
        var policy = new Policy("p", Effect.Permit, ScopeConstraint.Any,
            new ActionConstraint(ActionScopeKind.Equal, ImmutableArray.Create(Act)), ScopeConstraint.Any,
            ImmutableArray.Create(new Condition(ConditionKind.When, condition)), ValueList<Annotation>.Empty);
        var strict = Validator.ValidatePolicy(Schema, policy, ValidationMode.Strict);
        var permissive = Validator.ValidatePolicy(Schema, policy, ValidationMode.Permissive);
        if (strict.Count > 0) return true; // nothing promised
        if (permissive.Count > 0) return false; // strict validity implies permissive validity
        foreach (var request in Requests)
        {
            var result = Evaluator.Evaluate(condition, request, Store);
            if (result.IsSuccess ? result.Value is not BoolValue : !Allowed.Any(a => result.Error!.Contains(a, StringComparison.Ordinal)))
            {
                return false;
            }
        }
        return true;
    }
}
