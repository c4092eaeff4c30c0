using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Schema;

namespace Mandate.Cedar.Validation;

/// <summary>
/// Cedar's policy validator: checks every static policy and template of a set against a schema.
/// Per policy it checks (1) that every entity type and action it names is declared, (2) that
/// some (principal type, action, resource type) the schema allows matches its scope, and (3)
/// that its condition typechecks, as a boolean, in every request environment the schema allows.
/// Linked template instances are covered by their template.
/// </summary>
public static class Validator
{
    /// <summary>Validates <paramref name="policies"/> against <paramref name="schema"/>.</summary>
    public static ValidationResult Validate(CedarSchema schema, PolicySet policies, ValidationMode mode = ValidationMode.Strict)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(policies);
        var errors = ImmutableArray.CreateBuilder<ValidationError>();
        var warnings = ImmutableArray.CreateBuilder<ValidationWarning>();
        foreach (var p in policies.Policies.Where(p => p.TemplateId is null).Concat(policies.Templates))
        {
            errors.AddRange(Check(schema, p, mode, out var impossible));
            if (impossible)
            {
                warnings.Add(new ValidationWarning(p.Id, ValidationCodes.ImpossiblePolicy,
                    "policy is impossible: the policy expression evaluates to false for all valid requests", p.Span));
            }
        }
        return new ValidationResult(errors.ToImmutable(), warnings.ToImmutable());
    }

    /// <summary>Validates one policy or template; returns its errors (none when valid).</summary>
    public static IReadOnlyList<ValidationError> ValidatePolicy(CedarSchema schema, Policy policy, ValidationMode mode = ValidationMode.Strict)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(policy);
        return Check(schema, policy, mode, out _);
    }

    // The checks of one policy; `impossible` when its condition is False in every environment
    // (or there is none), so it can never apply: a warning, as in Cedar, not an error.
    private static List<ValidationError> Check(CedarSchema schema, Policy policy, ValidationMode mode, out bool impossible)
    {
        impossible = false;
        var errors = new List<ValidationError>();
        var seen = new HashSet<(string, string)>();
        void Report(string code, string message, SourceSpan span)
        {
            if (seen.Add((code, message))) errors.Add(new ValidationError(policy.Id, code, message, span));
        }

        PolicyNames.Check(schema, policy, Report);
        if (!ScopeApplicability.IsApplicable(schema, policy))
        {
            Report(ValidationCodes.InvalidActionApplication, "unable to find an applicable action given the policy scope constraints", policy.Span);
        }

        var condition = PolicyCondition.Of(policy);
        var depth = ExprTree.Depth(condition, MaxDepth + 1);
        if (depth > MaxDepth)
        {
            Report(ValidationCodes.TooDeep, $"the policy is nested more than {MaxDepth} levels deep", policy.Span);
            return errors;
        }
        var allFalse = true;
        void TypecheckAll()
        {
            foreach (var env in Environments(schema, policy))
            {
                var type = new Typechecker(schema, mode, env, Report).CheckCondition(condition);
                if (type is not TcBool { Kind: BoolKind.False }) allFalse = false;
            }
        }
        // The checker recurses once or twice per level; deep policies get a thread whose stack
        // is known to be large enough, whatever thread (and stack size) the caller runs on.
        if (depth <= ShallowDepth) TypecheckAll();
        else
        {
            ExceptionDispatchInfo? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    TypecheckAll();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e); // a bug: surface it on the caller's thread
                }
            }, DeepStackBytes) { IsBackground = true, Name = "cedar-validate-deep" };
            thread.Start();
            thread.Join();
            failure?.Throw();
        }
        impossible = allFalse;
        return errors;
    }

    // The parser bounds expression depth at 1,000 (the scope adds a few levels).
    private const int MaxDepth = 1200;
    private const int ShallowDepth = 200;
    private const int DeepStackBytes = 64 * 1024 * 1024;

    private static IEnumerable<RequestEnvironment> Environments(CedarSchema schema, Policy policy)
    {
        var principalSlot = UsesSlot(policy.Principal);
        var resourceSlot = UsesSlot(policy.Resource);
        string?[] slotTypes = [.. schema.EntityTypes.Keys.Order(StringComparer.Ordinal)];
        string?[] noSlot = [null];
        foreach (var action in schema.Actions.Values)
        {
            var context = TcRecord.FromSchema(action.AppliesTo.Context);
            foreach (var p in action.AppliesTo.PrincipalTypes)
            {
                foreach (var r in action.AppliesTo.ResourceTypes)
                {
                    var env = new RequestEnvironment(p, action.Uid, r, context);
                    foreach (var ps in principalSlot ? slotTypes : noSlot)
                    {
                        foreach (var rs in resourceSlot ? slotTypes : noSlot)
                        {
                            yield return env with { PrincipalSlotType = ps, ResourceSlotType = rs };
                        }
                    }
                }
            }
        }
    }

    private static bool UsesSlot(ScopeConstraint c) => c.Entity is EntityRef.SlotRef;
}
