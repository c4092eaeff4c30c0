using System.Text.Json;

namespace Mandate.Core.Decisions;

/// <summary>
/// One attribute a route gives its resource entity (<c>routes[i].resource.attributes.NAME</c>), handed to the
/// policy compiler so that, with a schema, it is checked against the entity type's declared shape.
/// </summary>
/// <param name="ConfigPath">Where it is written, e.g. <c>routes[2].resource.attributes.sensitivity</c>.</param>
/// <param name="EntityType">The resource's (qualified) entity type.</param>
/// <param name="Name">The attribute name.</param>
/// <param name="Value">The value in Cedar's JSON value form.</param>
/// <param name="File">The configuration file.</param>
/// <param name="Line">Its line there, when known.</param>
public sealed record ResourceAttributeSource(string ConfigPath, string EntityType, string Name, JsonElement Value, string? File, int? Line);
