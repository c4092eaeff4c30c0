namespace Mandate.Core.Decisions;

/// <summary>Which position of a request a search leaves open.</summary>
public enum SearchTarget
{
    /// <summary>Which principals of a type may do the action on the resource.</summary>
    Subject,

    /// <summary>Which resources of a type the principal may do the action on.</summary>
    Resource,

    /// <summary>Which actions the principal may do on the resource.</summary>
    Action,
}

/// <summary>
/// A search: the open position, the entity type searched for (fully qualified; the action type for an action
/// search), and the two known positions (the open one is null).
/// </summary>
/// <param name="Target">The open position.</param>
/// <param name="Type">The entity type of the results.</param>
/// <param name="Principal">The principal, unless searched for.</param>
/// <param name="Action">The action, unless searched for.</param>
/// <param name="Resource">The resource, unless searched for.</param>
public sealed record SearchQuery(SearchTarget Target, string Type, EntityRef? Principal, EntityRef? Action, EntityRef? Resource);
