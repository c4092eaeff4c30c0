using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;

namespace Mandate.Cedar.Authorization;

/// <summary>
/// One decision's inputs, with the ancestor sets of the principal, action and resource looked
/// up once, so that each policy's scope check is a set probe rather than a store lookup.
/// </summary>
internal readonly struct DecisionInput
{
    public DecisionInput(Request request, EntityStore entities)
    {
        Request = request;
        Entities = entities;
        PrincipalAncestors = entities.AncestorSetOf(request.Principal);
        ActionAncestors = entities.AncestorSetOf(request.Action);
        ResourceAncestors = entities.AncestorSetOf(request.Resource);
    }

    public Request Request { get; }

    public EntityStore Entities { get; }

    /// <summary>Null when the principal is not in the store (then it is only `in` itself).</summary>
    public HashSet<EntityUid>? PrincipalAncestors { get; }

    public HashSet<EntityUid>? ActionAncestors { get; }

    public HashSet<EntityUid>? ResourceAncestors { get; }

    /// <summary>Cedar's `in` for a request entity: itself or one of its ancestors.</summary>
    public static bool IsIn(EntityUid actual, HashSet<EntityUid>? ancestors, EntityUid target) =>
        actual.Equals(target) || (ancestors is not null && ancestors.Contains(target));
}
