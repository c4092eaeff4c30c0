using Mandate.Cedar.Ast;
using Mandate.Cedar.Evaluation;
using Mandate.Cedar.Evaluation.Nodes;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Authorization;

/// <summary>
/// One policy in executable form: its scope as plain fields (checked without evaluating any
/// expression) and its conditions as one compiled node (null when it is always true).
/// </summary>
internal sealed class CompiledPolicy
{
    private readonly ScopeKind _principalKind;
    private readonly EntityUid? _principalUid;
    private readonly string? _principalType;
    private readonly ScopeKind _resourceKind;
    private readonly EntityUid? _resourceUid;
    private readonly string? _resourceType;
    private readonly ActionScopeKind _actionKind;
    private readonly EntityUid[] _actions;
    private readonly Node? _condition;

    public CompiledPolicy(Policy policy, int index)
    {
        Policy = policy;
        Index = index;
        IsForbid = policy.Effect == Effect.Forbid;
        string? slotError = null;
        (_principalKind, _principalUid, _principalType) = Scope(policy.Principal, ref slotError);
        (_resourceKind, _resourceUid, _resourceType) = Scope(policy.Resource, ref slotError);
        _actionKind = policy.Action.Kind;
        _actions = [.. policy.Action.Entities.Distinct()];

        var parts = new List<Node>();
        if (slotError is not null) parts.Add(new ErrorNode(slotError));
        foreach (var c in policy.Conditions)
        {
            var body = ExprCompiler.Compile(c.Body);
            parts.Add(c.Kind == ConditionKind.When ? body : new NotNode(body, 1));
        }
        _condition = parts.Count switch
        {
            0 => null,
            _ => new AndNode([.. parts]),
        };
        if (_condition is AndNode && parts.TrueForAll(p => p is ConstNode { Value: BoolValue { Value: true } }))
        {
            _condition = null;
        }
    }

    public Policy Policy { get; }

    /// <summary>Position in the policy set; determines report order.</summary>
    public int Index { get; }

    public bool IsForbid { get; }

    public ScopeKind PrincipalKind => _principalKind;

    public EntityUid? PrincipalUid => _principalUid;

    public ScopeKind ResourceKind => _resourceKind;

    public EntityUid? ResourceUid => _resourceUid;

    public ActionScopeKind ActionKind => _actionKind;

    public EntityUid[] Actions => _actions;

    /// <summary>
    /// Evaluates the policy: true when satisfied, false when not, null with <paramref name="error"/>
    /// when evaluation failed.
    /// </summary>
    public bool? Evaluate(in DecisionInput input, out string? error)
    {
        error = null;
        var request = input.Request;
        if (!ScopeMatches(input)) return false;
        if (_condition is null) return true;
        var ctx = new EvalContext(request, input.Entities);
        var v = _condition.Eval(ref ctx);
        if (v is null)
        {
            error = ctx.Error ?? "evaluation error";
            return null;
        }
        return ((BoolValue)v).Value; // INVARIANT: AndNode yields a Bool or an error.
    }

    /// <summary>Whether the request's principal, action and resource fall in the policy's scope.</summary>
    public bool ScopeMatches(in DecisionInput input)
    {
        var request = input.Request;
        return ScopeMatches(_principalKind, _principalUid, _principalType, request.Principal, input.PrincipalAncestors)
               && ActionMatches(request.Action, input.ActionAncestors)
               && ScopeMatches(_resourceKind, _resourceUid, _resourceType, request.Resource, input.ResourceAncestors);
    }

    /// <summary>Whether the request's action falls in the policy's action scope.</summary>
    public bool ActionScopeMatches(in DecisionInput input) => ActionMatches(input.Request.Action, input.ActionAncestors);

    /// <summary>Whether the request's principal falls in the policy's principal scope.</summary>
    public bool PrincipalScopeMatches(in DecisionInput input) =>
        ScopeMatches(_principalKind, _principalUid, _principalType, input.Request.Principal, input.PrincipalAncestors);

    /// <summary>Whether the request's resource falls in the policy's resource scope.</summary>
    public bool ResourceScopeMatches(in DecisionInput input) =>
        ScopeMatches(_resourceKind, _resourceUid, _resourceType, input.Request.Resource, input.ResourceAncestors);

    /// <summary>The entity type an <c>is</c> scope names on the principal (null otherwise).</summary>
    public string? PrincipalType => _principalType;

    /// <summary>The entity type an <c>is</c> scope names on the resource (null otherwise).</summary>
    public string? ResourceType => _resourceType;

    /// <summary>True when the scope holds a slot that was never linked (the policy always errors).</summary>
    public bool HasUnlinkedSlot => Policy.IsTemplate;

    private static bool ScopeMatches(ScopeKind kind, EntityUid? uid, string? type, EntityUid actual, HashSet<EntityUid>? ancestors) => kind switch
    {
        ScopeKind.Any => true,
        ScopeKind.Equal => actual.Equals(uid),
        ScopeKind.In => DecisionInput.IsIn(actual, ancestors, uid!),
        ScopeKind.Is => string.Equals(actual.Type, type, StringComparison.Ordinal),
        ScopeKind.IsIn => string.Equals(actual.Type, type, StringComparison.Ordinal) && DecisionInput.IsIn(actual, ancestors, uid!),
        _ => false,
    };

    private bool ActionMatches(EntityUid action, HashSet<EntityUid>? ancestors)
    {
        switch (_actionKind)
        {
            case ActionScopeKind.Any:
                return true;
            case ActionScopeKind.Equal:
                return action.Equals(_actions[0]);
            default:
                foreach (var a in _actions)
                {
                    if (DecisionInput.IsIn(action, ancestors, a)) return true;
                }
                return false;
        }
    }

    private static (ScopeKind, EntityUid?, string?) Scope(ScopeConstraint scope, ref string? slotError)
    {
        switch (scope.Entity)
        {
            case EntityRef.Literal lit:
                return (scope.Kind, lit.Uid, scope.EntityType);
            case EntityRef.SlotRef slot:
                slotError ??= $"template slot `?{slot.Slot.ToString().ToLowerInvariant()}` is not linked";
                return (ScopeKind.Any, null, null);
            default:
                return (scope.Kind, null, scope.EntityType);
        }
    }
}
