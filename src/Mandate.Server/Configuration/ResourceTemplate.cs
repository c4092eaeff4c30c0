using System.Text.Json;

namespace Mandate.Server.Configuration;

/// <summary><c>routes[i].resource</c>: a resource entity with placeholders filled from path parameters.</summary>
/// <param name="Type">Fully qualified entity type.</param>
/// <param name="Id">Entity id template (e.g. <c>{id}</c>).</param>
/// <param name="Parents">Parent entities (type, id template).</param>
/// <param name="Attributes">Attributes in Cedar JSON value form.</param>
public sealed record ResourceTemplate(
    string Type,
    ValueTemplate Id,
    IReadOnlyList<(string Type, ValueTemplate Id)> Parents,
    IReadOnlyDictionary<string, JsonElement> Attributes)
{
    /// <summary>Line of each attribute in the configuration file (for problems found later, e.g. against the schema).</summary>
    public IReadOnlyDictionary<string, int> AttributeLines { get; init; } = new Dictionary<string, int>();
}
