using System.Text.Json;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Json;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;

namespace Mandate.Bench.Cedar;

/// <summary>
/// A workload in the Cedar integration-test format, loaded once: policies parsed and indexed,
/// entities and requests read against the schema. Nothing is parsed per decision afterwards.
/// </summary>
public sealed class Workload
{
    private Workload(string path, Authorizer authorizer, EntityStore entities, Request[] requests, string?[] expected, int entityCount)
    {
        Path = path;
        Authorizer = authorizer;
        Entities = entities;
        Requests = requests;
        Expected = expected;
        EntityCount = entityCount;
    }

    /// <summary>The test file.</summary>
    public string Path { get; }

    /// <summary>The authorizer over the workload's policies.</summary>
    public Authorizer Authorizer { get; }

    /// <summary>The workload's entities.</summary>
    public EntityStore Entities { get; }

    /// <summary>The requests, in file order.</summary>
    public Request[] Requests { get; }

    /// <summary>The expected decision of each request ("allow"/"deny"), or null when the file has none.</summary>
    public string?[] Expected { get; }

    /// <summary>How many entities the entities file holds.</summary>
    public int EntityCount { get; }

    /// <summary>Loads <paramref name="testPath"/>, resolving its data files against <paramref name="root"/> (default: its folder).</summary>
    public static Workload Load(string testPath, string? root = null)
    {
        root ??= System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(testPath))!;
        using var doc = JsonDocument.Parse(File.ReadAllText(testPath));
        var test = doc.RootElement;
        string Read(string property) => File.ReadAllText(System.IO.Path.Combine(root, test.GetProperty(property).GetString()!));

        CedarSchema? schema = null;
        if (test.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String)
        {
            var parsed = SchemaParser.Parse(Read("schema"), "schema");
            schema = parsed.Schema ?? throw new InvalidDataException($"schema: {string.Join("; ", parsed.Diagnostics)}");
        }
        var policies = PolicyParser.ParsePolicySet(Read("policies"), "policies");
        var policySet = policies.Value ?? throw new InvalidDataException($"policies: {string.Join("; ", policies.Diagnostics)}");
        var entitiesText = Read("entities");
        var entities = EntityJson.Parse(entitiesText, schema);
        var store = entities.Value ?? throw new InvalidDataException($"entities: {string.Join("; ", entities.Errors)}");
        int entityCount;
        using (var e = JsonDocument.Parse(entitiesText)) entityCount = e.RootElement.GetArrayLength();

        var requests = new List<Request>();
        var expected = new List<string?>();
        foreach (var r in test.GetProperty("requests").EnumerateArray())
        {
            var request = RequestJson.Parse(r, schema);
            requests.Add(request.Value ?? throw new InvalidDataException($"request {requests.Count}: {string.Join("; ", request.Errors)}"));
            expected.Add(r.TryGetProperty("decision", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
        }
        return new Workload(testPath, new Authorizer(policySet), store, [.. requests], [.. expected], entityCount);
    }
}
