using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Schema;

namespace Mandate.Cedar.Validation;

/// <summary>
/// Checks every entity type and action a policy names (scope and conditions, reached or not)
/// against the schema: unknown entity types, undeclared actions, and ids outside an
/// enumerated entity type.
/// </summary>
internal static class PolicyNames
{
    public static void Check(CedarSchema schema, Policy policy, Action<string, string, SourceSpan> report)
    {
        void Uid(EntityUid uid, SourceSpan span)
        {
            if (schema.FindEntityType(uid.Type) is { } def)
            {
                if (def.EnumValues is { } values && !values.Contains(uid.Id))
                {
                    report(ValidationCodes.InvalidEnumEntity,
                        $"entity `{uid}` is of an enumerated entity type, but `{CedarString.Quote(uid.Id)}` is not declared as a valid eid", span);
                }
                return;
            }
            if (IsActionType(schema, uid.Type))
            {
                if (schema.FindAction(uid) is null) report(ValidationCodes.UnrecognizedActionId, $"unrecognized action id `{uid}`", span);
                return;
            }
            report(ValidationCodes.UnrecognizedEntityType, $"unrecognized entity type `{uid.Type}`", span);
        }

        void Type(string type, SourceSpan span)
        {
            if (!schema.IsKnownEntityType(type)) report(ValidationCodes.UnrecognizedEntityType, $"unrecognized entity type `{type}`", span);
        }

        void Scope(ScopeConstraint c)
        {
            if (c.Entity is EntityRef.Literal l) Uid(l.Uid, policy.Span);
            if (c.EntityType is { } t) Type(t, policy.Span);
        }

        Scope(policy.Principal);
        Scope(policy.Resource);
        foreach (var a in policy.Action.Entities) Uid(a, policy.Span);

        var stack = new Stack<Expr>();
        foreach (var c in policy.Conditions) stack.Push(c.Body);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e is EntityLiteral lit) Uid(lit.Uid, lit.Span);
            if (e is IsExpr isExpr) Type(isExpr.EntityType, isExpr.Span);
            foreach (var child in ExprTree.Children(e)) stack.Push(child);
        }
    }

    /// <summary>Action entity types are <c>Action</c> or <c>Ns::Action</c>.</summary>
    private static bool IsActionType(CedarSchema schema, string type) =>
        schema.IsActionEntityType(type) || type == "Action" || type.EndsWith("::Action", StringComparison.Ordinal);
}
