using System.Text.Json;

namespace Mandate.Core.Decisions;

/// <summary>An agent from the configuration's registry: its id, parents and attributes (Cedar JSON values).</summary>
/// <param name="Id">Agent id (the principal's entity id).</param>
/// <param name="Parents">Parent entities, e.g. <c>Mandate::Group::"support"</c>.</param>
/// <param name="Attributes">Attributes in Cedar's JSON value form.</param>
public sealed record AgentRecord(string Id, IReadOnlyList<EntityRef> Parents, IReadOnlyDictionary<string, JsonElement> Attributes);
