using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Evaluation;
using Mandate.Cedar.Evaluation.Nodes;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Authorization;

/// <summary>
/// Answers "could this request be allowed for some value of the unknown context attributes?"
/// — for example, could an agent be permitted to call a tool, whatever arguments it passes.
/// Used to filter lists (MCP <c>tools/list</c>) to what the caller could use.
/// </summary>
/// <remarks>
/// <para>
/// Each policy's conditions are evaluated three-valued: true, false, error, or unknown. A
/// sub-expression that does not read an unknown attribute is evaluated exactly as the
/// <see cref="Authorizer"/> would. One that does (<c>context.args</c>, <c>context has args</c>,
/// or <c>context</c> used as a whole) is unknown, and unknown spreads to every expression built
/// on it, except where Cedar's own short-circuit settles the answer from a known left operand
/// (<c>false &amp;&amp; …</c>, <c>true || …</c>, and a known <c>if</c> condition).
/// </para>
/// <para>
/// The answer over-approximates, never under-approximates (soundness): whenever some value of
/// the unknowns makes <see cref="Authorizer.IsAuthorized"/> allow, <see cref="CouldAllow"/> is
/// true. It is false only when no permit can be satisfied, or a forbid is satisfied without
/// reading any unknown. An unknown forbid does not block (it might not apply); an unknown permit
/// counts (it might apply). The real decision is still made on every call with the real values.
/// </para>
/// </remarks>
public sealed class PartialAuthorizer
{
    private readonly Entry[] _policies;

    /// <summary>Prepares <paramref name="policies"/> for partial evaluation with the given unknown context attributes.</summary>
    /// <param name="policies">The policy set (static and linked policies).</param>
    /// <param name="unknownContextAttributes">Top-level context attributes treated as unknown, e.g. <c>args</c>.</param>
    public PartialAuthorizer(PolicySet policies, IEnumerable<string> unknownContextAttributes)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(unknownContextAttributes);
        var unknown = new HashSet<string>(unknownContextAttributes, StringComparer.Ordinal);
        UnknownContextAttributes = unknown;
        _policies = new Entry[policies.Policies.Length];
        for (var i = 0; i < _policies.Length; i++)
        {
            var policy = policies.Policies[i];
            var compiled = new CompiledPolicy(policy, i);
            Residual? residual = null;
            if (!policy.IsTemplate)
            {
                var parts = new List<Residual>();
                foreach (var c in policy.Conditions)
                {
                    var body = Residual.Build(c.Body, unknown);
                    parts.Add(c.Kind == ConditionKind.When ? body : new Residual.Not(body));
                }
                residual = parts.Count == 0 ? null : parts.Aggregate((a, b) => new Residual.And(a, b));
            }
            _policies[i] = new Entry(compiled, residual);
        }
    }

    /// <summary>The context attributes treated as unknown.</summary>
    public IReadOnlySet<string> UnknownContextAttributes { get; }

    /// <summary>
    /// Whether <paramref name="request"/> could be allowed for some value of the unknown
    /// attributes. Values the request's context gives for them are ignored.
    /// </summary>
    public PartialResponse CouldAllow(Request request, EntityStore entities)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(entities);
        var input = new DecisionInput(request, entities);
        var possiblePermits = new List<string>();
        var certainForbids = new List<string>();
        foreach (var entry in _policies)
        {
            if (entry.Policy.HasUnlinkedSlot || !entry.Policy.ScopeMatches(input)) continue;
            var truth = entry.Condition is null ? Truth.True : entry.Condition.Eval(input);
            if (entry.Policy.IsForbid)
            {
                if (truth == Truth.True) certainForbids.Add(entry.Policy.Policy.Id);
            }
            else if (truth is Truth.True or Truth.Unknown)
            {
                possiblePermits.Add(entry.Policy.Policy.Id);
            }
        }
        var could = certainForbids.Count == 0 && possiblePermits.Count > 0;
        return new PartialResponse(could, could ? possiblePermits : certainForbids);
    }

    private sealed record Entry(CompiledPolicy Policy, Residual? Condition);

    private enum Truth { True, False, Error, Unknown }

    /// <summary>A condition with the unknown-dependent parts kept as structure and the rest compiled.</summary>
    private abstract class Residual
    {
        public abstract Truth Eval(in DecisionInput input);

        public static Residual Build(Expr expr, HashSet<string> unknown)
        {
            if (!ReadsUnknown(expr, unknown)) return new Known(ExprCompiler.Compile(expr));
            return expr switch
            {
                AndExpr a => new And(Build(a.Left, unknown), Build(a.Right, unknown)),
                OrExpr o => new Or(Build(o.Left, unknown), Build(o.Right, unknown)),
                UnaryExpr { Op: UnaryOp.Not } n => new Not(Build(n.Operand, unknown)),
                IfExpr i => new If(Build(i.Condition, unknown), Build(i.Then, unknown), Build(i.Else, unknown)),
                _ => Unknown.Instance,
            };
        }

        /// <summary>Whether evaluating <paramref name="expr"/> may read an unknown context attribute.</summary>
        private static bool ReadsUnknown(Expr expr, HashSet<string> unknown)
        {
            switch (expr)
            {
                case GetAttrExpr { Target: VarExpr { Var: Var.Context } } g:
                    return unknown.Contains(g.Attribute);
                case HasAttrExpr { Target: VarExpr { Var: Var.Context } } h:
                    return unknown.Contains(h.Attribute);
                case VarExpr { Var: Var.Context }:
                    return unknown.Count > 0; // the whole record, unknowns included
                default:
                    foreach (var child in ExprTree.Children(expr))
                    {
                        if (ReadsUnknown(child, unknown)) return true;
                    }
                    return false;
            }
        }

        private static Truth AsTruth(Value? v) => v switch
        {
            BoolValue b => b.Value ? Truth.True : Truth.False,
            _ => Truth.Error, // an error, or a non-Bool where Cedar needs a Bool
        };

        public sealed class Known(Node node) : Residual
        {
            public override Truth Eval(in DecisionInput input)
            {
                var ctx = new EvalContext(input.Request, input.Entities);
                return AsTruth(node.Eval(ref ctx));
            }
        }

        public sealed class Unknown : Residual
        {
            public static readonly Unknown Instance = new();

            public override Truth Eval(in DecisionInput input) => Truth.Unknown;
        }

        public sealed class And(Residual left, Residual right) : Residual
        {
            public override Truth Eval(in DecisionInput input) => left.Eval(input) switch
            {
                Truth.False => Truth.False,
                Truth.Error => Truth.Error,
                Truth.True => right.Eval(input),
                _ => Truth.Unknown, // false, error, or the right side: nothing certain
            };
        }

        public sealed class Or(Residual left, Residual right) : Residual
        {
            public override Truth Eval(in DecisionInput input) => left.Eval(input) switch
            {
                Truth.True => Truth.True,
                Truth.Error => Truth.Error,
                Truth.False => right.Eval(input),
                _ => Truth.Unknown,
            };
        }

        public sealed class Not(Residual operand) : Residual
        {
            public override Truth Eval(in DecisionInput input) => operand.Eval(input) switch
            {
                Truth.True => Truth.False,
                Truth.False => Truth.True,
                var t => t,
            };
        }

        public sealed class If(Residual condition, Residual then, Residual otherwise) : Residual
        {
            public override Truth Eval(in DecisionInput input) => condition.Eval(input) switch
            {
                Truth.True => then.Eval(input),
                Truth.False => otherwise.Eval(input),
                Truth.Error => Truth.Error,
                _ => Truth.Unknown,
            };
        }
    }
}

/// <summary>The answer of <see cref="PartialAuthorizer.CouldAllow"/>.</summary>
/// <param name="CouldAllow">Whether some value of the unknowns could make the request allowed.</param>
/// <param name="Policies">When it could: the permits that might apply; when it could not: the forbids that certainly apply (empty when no permit applies).</param>
public sealed record PartialResponse(bool CouldAllow, IReadOnlyList<string> Policies);
