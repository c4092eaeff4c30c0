using System.Text.Json;

namespace Mandate.Core.Decisions;

/// <summary>The resource entity a request is about, as the route table resolved it.</summary>
/// <param name="Entity">Type and id of the resource.</param>
/// <param name="Parents">Parent entities (for <c>in</c> checks), from the route configuration.</param>
/// <param name="Attributes">
/// Attributes in Cedar's JSON value form (strings, numbers, booleans, arrays, records,
/// <c>{"__entity": …}</c>); merged under those the entities file gives the same entity.
/// </param>
public sealed record ResourceDescriptor(
    EntityRef Entity,
    IReadOnlyList<EntityRef> Parents,
    IReadOnlyDictionary<string, JsonElement> Attributes);
