using System.Text.Json;

namespace Mandate.Core.Decisions;

/// <summary>
/// An entity a request is about, with the parents and attributes the request adds: the resource as the route table
/// resolved it, or a decision API's subject and resource with the properties its caller supplied.
/// </summary>
/// <param name="Entity">Type and id of the resource.</param>
/// <param name="Parents">Parent entities (for <c>in</c> checks), from the route configuration.</param>
/// <param name="Attributes">
/// Attributes in Cedar's JSON value form (strings, numbers, booleans, arrays, records,
/// <c>{"__entity": …}</c>); merged under those the entities file gives the same entity.
/// </param>
public sealed record ResourceDescriptor(
    EntityRef Entity,
    IReadOnlyList<EntityRef> Parents,
    IReadOnlyDictionary<string, JsonElement> Attributes)
{
    /// <summary>
    /// When true, an attribute the entities file already gives this entity keeps its stored value and the request's
    /// value of the same name is dropped: what Mandate knows about an entity is not overridden by a caller's claim
    /// (decision APIs). When false (routes, whose attributes come from the configuration), the request's value wins.
    /// </summary>
    public bool StoredAttributesWin { get; init; }
}
