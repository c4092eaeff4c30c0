using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Server.Lifecycle.Testing;

namespace Mandate.Server.Lifecycle.Report;

/// <summary>An item of a framework: an OWASP risk, a MAESTRO layer, a NIST AI RMF function.</summary>
/// <param name="Framework">The framework's id (<c>owasp-asi</c>).</param>
/// <param name="Id">The item's id in it (<c>ASI02</c>).</param>
/// <param name="Title">Its title.</param>
/// <param name="OutOfScope">Why no Mandate control addresses it; null when controls do.</param>
public sealed record FrameworkItem(string Framework, string Id, string Title, string? OutOfScope)
{
    /// <summary><c>framework/id</c>, as mappings name it.</summary>
    public string Key => $"{Framework}/{Id}";
}

/// <summary>A framework and its items in their published order.</summary>
public sealed record Framework(string Id, string Name, IReadOnlyList<FrameworkItem> Items);

/// <summary>Why a control answers a framework item.</summary>
public sealed record ControlMapping(FrameworkItem Item, string Why);

/// <summary>A control of Mandate as the mapping table describes it.</summary>
public sealed record ControlDefinition(string Id, string Title, IReadOnlyList<ControlMapping> Maps);

/// <summary>
/// The mapping table (<c>FrameworkMapping.yaml</c>, embedded in the assembly): the frameworks, their items, and for
/// each Mandate control the items it answers and why. Data, not code, so that it is reviewed like a document.
/// </summary>
public sealed record FrameworkCatalogue(IReadOnlyList<Framework> Frameworks, IReadOnlyList<ControlDefinition> Controls)
{
    /// <summary>The table shipped with Mandate.</summary>
    public static FrameworkCatalogue Shipped { get; } = Load();

    private static FrameworkCatalogue Load()
    {
        using var stream = typeof(FrameworkCatalogue).Assembly.GetManifestResourceStream("Mandate.Server.Lifecycle.Report.FrameworkMapping.yaml")
            ?? throw new InvalidOperationException("FrameworkMapping.yaml is not embedded");
        var (tree, error) = StructuredText.Read(new StreamReader(stream).ReadToEnd(), json: false);
        if (error is not null || tree is not JsonObject root)
        {
            throw new InvalidOperationException($"FrameworkMapping.yaml: {error}");
        }

        var frameworks = root["frameworks"]!.AsArray().Select(f =>
        {
            var id = Text(f, "id");
            var items = f!["items"]!.AsObject()
                .Select(i => new FrameworkItem(id, i.Key, Text(i.Value, "title"), i.Value!["outOfScope"]?.GetValue<string>()))
                .ToArray();
            return new Framework(id, Text(f, "name"), items);
        }).ToArray();
        var items = frameworks.SelectMany(f => f.Items).ToDictionary(i => i.Key);
        var controls = root["controls"]!.AsArray().Select(c => new ControlDefinition(
            Text(c, "id"),
            Text(c, "title"),
            c!["maps"]!.AsArray().Select(m => new ControlMapping(
                items.TryGetValue(Text(m, "to"), out var item) ? item : throw new InvalidOperationException($"FrameworkMapping.yaml: unknown item `{Text(m, "to")}`"),
                Text(m, "why"))).ToArray())).ToArray();
        return new FrameworkCatalogue(frameworks, controls);
    }

    private static string Text(JsonNode? node, string key) =>
        node?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new InvalidOperationException($"FrameworkMapping.yaml: `{key}` missing near {node?.ToJsonString()}");
}
