using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Validation;

/// <summary>
/// A policy as one boolean expression, the way Cedar's validator sees it:
/// <c>((principal-scope &amp;&amp; action-scope) &amp;&amp; resource-scope) &amp;&amp; body</c>, where the body
/// is the <c>when</c> conditions and negated <c>unless</c> conditions joined with <c>&amp;&amp;</c>
/// (<c>true</c> when there are none). The order matters: a scope that cannot match a request
/// environment types as <c>False</c> and the body is then not checked there.
/// </summary>
internal static class PolicyCondition
{
    public static Expr Of(Policy policy)
    {
        var span = policy.Span;
        var scope = new AndExpr(
            new AndExpr(Scope(Var.Principal, policy.Principal, span), ActionScope(policy.Action, span), span),
            Scope(Var.Resource, policy.Resource, span),
            span);
        Expr? body = null;
        foreach (var c in policy.Conditions)
        {
            var part = c.Kind == ConditionKind.When ? c.Body : new UnaryExpr(UnaryOp.Not, c.Body, c.Body.Span);
            body = body is null ? part : new AndExpr(body, part, span);
        }
        return new AndExpr(scope, body ?? new BoolLiteral(true, span), span);
    }

    private static Expr Scope(Var v, ScopeConstraint c, SourceSpan span)
    {
        var var = new VarExpr(v, span);
        return c.Kind switch
        {
            ScopeKind.Equal => new BinaryExpr(BinaryOp.Equal, var, Ref(c.Entity!, span), span),
            ScopeKind.In => new BinaryExpr(BinaryOp.In, var, Ref(c.Entity!, span), span),
            ScopeKind.Is => new IsExpr(var, c.EntityType!, null, span),
            ScopeKind.IsIn => new IsExpr(var, c.EntityType!, Ref(c.Entity!, span), span),
            _ => new BoolLiteral(true, span),
        };
    }

    private static Expr ActionScope(ActionConstraint c, SourceSpan span)
    {
        var action = new VarExpr(Var.Action, span);
        return c.Kind switch
        {
            ActionScopeKind.Equal => new BinaryExpr(BinaryOp.Equal, action, new EntityLiteral(c.Entities[0], span), span),
            ActionScopeKind.In => new BinaryExpr(BinaryOp.In, action, new EntityLiteral(c.Entities[0], span), span),
            ActionScopeKind.InList => new BinaryExpr(BinaryOp.In, action,
                new SetExpr(new ValueList<Expr>(c.Entities.Select(u => (Expr)new EntityLiteral(u, span))), span), span),
            _ => new BoolLiteral(true, span),
        };
    }

    private static Expr Ref(EntityRef r, SourceSpan span) => r switch
    {
        EntityRef.Literal l => new EntityLiteral(l.Uid, span),
        EntityRef.SlotRef s => new SlotExpr(s.Slot, span),
        _ => throw new InvalidOperationException("unknown entity reference"), // a bug, not an input error
    };
}
