using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;

namespace Mandate.Cedar.Authorization;

/// <summary>
/// Which entities a search ("which principals may do this action on this resource?", and the same for resources and
/// actions) has to consider: partial evaluation with one position of the request unknown, over the policies' scopes.
/// With the two known positions fixed, only the permits whose scopes admit them can make anything allowed; the
/// unknown position's scope of each such permit names its candidates — <c>principal == X</c> one entity,
/// <c>principal in G</c> the descendants of <c>G</c> (from the store's reverse index), and only an unconstrained or
/// <c>is T</c> scope every entity of the searched type. A forbid is never a reason to look further.
/// </summary>
/// <remarks>
/// The candidates over-approximate: every entity of the store that the authorizer would allow in the unknown position
/// is among them (soundness). Conditions (<c>when</c>/<c>unless</c>) are not used to narrow; each candidate must
/// still be decided exactly by the <see cref="Authorizer"/>, which is what makes a search's answer equal to deciding
/// every entity one by one.
/// </remarks>
public sealed class ScopeSearch
{
    private static readonly EntityUid Placeholder = new("__mandate::Unknown", "");
    private readonly CompiledPolicy[] _permits;
    private readonly EntityUid[] _mentionedActions;

    /// <summary>Prepares the static and linked permits of <paramref name="policies"/>.</summary>
    public ScopeSearch(PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var permits = new List<CompiledPolicy>();
        var actions = new HashSet<EntityUid>();
        for (var i = 0; i < policies.Policies.Length; i++)
        {
            var policy = policies.Policies[i];
            foreach (var a in policy.Action.Entities)
            {
                actions.Add(a);
            }

            if (policy.Effect == Effect.Permit && !policy.IsTemplate)
            {
                permits.Add(new CompiledPolicy(policy, i));
            }
        }

        _permits = [.. permits];
        _mentionedActions = [.. actions];
    }

    /// <summary>Candidate principals of <paramref name="type"/> for <paramref name="action"/> on <paramref name="resource"/>.</summary>
    public IReadOnlyList<EntityUid> Principals(string type, EntityUid action, EntityUid resource, EntityStore entities)
    {
        var input = new DecisionInput(new Request(Placeholder, action, resource), entities);
        var result = new HashSet<EntityUid>();
        foreach (var p in _permits)
        {
            if (!p.ActionScopeMatches(input) || !p.ResourceScopeMatches(input))
            {
                continue;
            }

            if (Expand(p.PrincipalKind, p.PrincipalUid, p.PrincipalType, type, entities, result))
            {
                break; // every entity of the type is a candidate already
            }
        }

        return Sorted(result);
    }

    /// <summary>Candidate resources of <paramref name="type"/> for <paramref name="principal"/> doing <paramref name="action"/>.</summary>
    public IReadOnlyList<EntityUid> Resources(string type, EntityUid principal, EntityUid action, EntityStore entities)
    {
        var input = new DecisionInput(new Request(principal, action, Placeholder), entities);
        var result = new HashSet<EntityUid>();
        foreach (var p in _permits)
        {
            if (!p.PrincipalScopeMatches(input) || !p.ActionScopeMatches(input))
            {
                continue;
            }

            if (Expand(p.ResourceKind, p.ResourceUid, p.ResourceType, type, entities, result))
            {
                break;
            }
        }

        return Sorted(result);
    }

    /// <summary>
    /// Candidate actions for <paramref name="principal"/> on <paramref name="resource"/>: the actions a matching permit
    /// names (and, for <c>action in G</c>, the members of <c>G</c> in the store); for a permit on any action, every action
    /// of type <paramref name="actionType"/> the store or the policies know.
    /// </summary>
    public IReadOnlyList<EntityUid> Actions(string actionType, EntityUid principal, EntityUid resource, EntityStore entities)
    {
        var input = new DecisionInput(new Request(principal, Placeholder, resource), entities);
        var result = new HashSet<EntityUid>();
        foreach (var p in _permits)
        {
            if (!p.PrincipalScopeMatches(input) || !p.ResourceScopeMatches(input))
            {
                continue;
            }

            if (p.ActionKind == ActionScopeKind.Any)
            {
                result.UnionWith(entities.OfType(actionType));
                result.UnionWith(_mentionedActions.Where(a => a.Type == actionType));
                continue;
            }

            foreach (var a in p.Actions)
            {
                result.Add(a);
                result.UnionWith(entities.DescendantsOf(a));
            }
        }

        result.RemoveWhere(a => !string.Equals(a.Type, actionType, StringComparison.Ordinal));
        return Sorted(result);
    }

    // Adds the scope's candidates of `type`; true when that was every entity of the type.
    private static bool Expand(ScopeKind kind, EntityUid? uid, string? scopeType, string type, EntityStore entities, HashSet<EntityUid> result)
    {
        switch (kind)
        {
            case ScopeKind.Equal:
                if (string.Equals(uid!.Type, type, StringComparison.Ordinal))
                {
                    result.Add(uid);
                }

                return false;
            case ScopeKind.In:
            case ScopeKind.IsIn:
                if (kind == ScopeKind.IsIn && !string.Equals(scopeType, type, StringComparison.Ordinal))
                {
                    return false;
                }

                if (string.Equals(uid!.Type, type, StringComparison.Ordinal))
                {
                    result.Add(uid);
                }

                foreach (var d in entities.DescendantsOf(uid))
                {
                    if (string.Equals(d.Type, type, StringComparison.Ordinal))
                    {
                        result.Add(d);
                    }
                }

                return false;
            case ScopeKind.Is when !string.Equals(scopeType, type, StringComparison.Ordinal):
                return false;
            default:
                result.UnionWith(entities.OfType(type));
                return true;
        }
    }

    private static EntityUid[] Sorted(HashSet<EntityUid> set) =>
        [.. set.OrderBy(u => u.Type, StringComparer.Ordinal).ThenBy(u => u.Id, StringComparer.Ordinal)];
}
