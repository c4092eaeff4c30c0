using Mandate.Cedar.Ast;
using Mandate.Cedar.Schema;

namespace Mandate.Cedar.Validation;

/// <summary>
/// Whether a policy's scope matches at least one request the schema allows: an action the
/// action scope selects (itself or through its groups) that applies to a principal type and a
/// resource type the principal and resource scopes admit. A policy matching none can never apply.
/// </summary>
internal static class ScopeApplicability
{
    public static bool IsApplicable(CedarSchema schema, Policy policy)
    {
        var principals = Admitted(schema, policy.Principal);
        var resources = Admitted(schema, policy.Resource);
        foreach (var action in Actions(schema, policy.Action))
        {
            if (schema.FindAction(action) is not { } def) continue;
            if (def.AppliesTo.PrincipalTypes.Any(p => principals is null || principals.Contains(p))
                && def.AppliesTo.ResourceTypes.Any(r => resources is null || resources.Contains(r)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The entity types a scope admits; null for "any".</summary>
    private static HashSet<string>? Admitted(CedarSchema schema, ScopeConstraint c)
    {
        var uid = c.Entity is EntityRef.Literal l ? l.Uid : null;
        switch (c.Kind)
        {
            case ScopeKind.Equal:
                return uid is null ? null : [uid.Type];
            case ScopeKind.In:
                return uid is null ? null : DescendantTypes(schema, uid.Type);
            case ScopeKind.Is:
                return [c.EntityType!];
            case ScopeKind.IsIn:
                if (uid is null) return [c.EntityType!];
                return schema.CanBeIn(c.EntityType!, uid.Type) ? [c.EntityType!] : [];
            default:
                return null;
        }
    }

    private static HashSet<string> DescendantTypes(CedarSchema schema, string type)
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { type };
        foreach (var t in schema.EntityTypes.Keys)
        {
            if (schema.CanBeIn(t, type)) set.Add(t);
        }
        return set;
    }

    private static IEnumerable<EntityUid> Actions(CedarSchema schema, ActionConstraint c)
    {
        switch (c.Kind)
        {
            case ActionScopeKind.Any:
                return schema.Actions.Keys;
            case ActionScopeKind.Equal:
                return c.Entities;
            default:
                return c.Entities.SelectMany(a => schema.ActionDescendants(a).Append(a));
        }
    }
}
