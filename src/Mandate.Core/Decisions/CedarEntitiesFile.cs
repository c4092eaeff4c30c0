using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;

namespace Mandate.Core.Decisions;

/// <summary>
/// Reads a Cedar entities JSON file (<c>[{"uid": {...}, "attrs": {...}, "parents": [...], "tags": {...}}]</c>)
/// into entities, reporting every problem with the entity's index. Duplicate JSON keys are refused.
/// </summary>
public static class CedarEntitiesFile
{
    /// <summary>Parses the file; problems are added to <paramref name="problems"/>.</summary>
    public static List<Entity> Parse(PolicySource source, List<PolicyProblem> problems)
    {
        var result = new List<Entity>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(source.Text, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            problems.Add(new PolicyProblem("entities.parse", $"not valid json: {e.Message}", source.Path, (int?)(e.LineNumber + 1)));
            return result;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new PolicyProblem("entities.parse", "the entities file must be a json array", source.Path, 1));
                return result;
            }

            var index = 0;
            foreach (var e in document.RootElement.EnumerateArray())
            {
                var where = $"entity [{index++}]";
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("uid", out var uidJson))
                {
                    problems.Add(new PolicyProblem("entities.parse", $"{where}: needs a `uid`", source.Path));
                    continue;
                }

                var uid = CedarJsonValues.ToUid(uidJson, out var error);
                if (uid is null)
                {
                    problems.Add(new PolicyProblem("entities.parse", $"{where}: {error}", source.Path));
                    continue;
                }

                var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                if (e.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in attrs.EnumerateObject())
                    {
                        attributes[p.Name] = p.Value.Clone();
                    }
                }

                var record = CedarJsonValues.ToRecord(attributes, out error);
                if (record is null)
                {
                    problems.Add(new PolicyProblem("entities.parse", $"{where} ({uid}): {error}", source.Path));
                    continue;
                }

                var parents = new List<EntityUid>();
                if (e.TryGetProperty("parents", out var parentsJson) && parentsJson.ValueKind == JsonValueKind.Array)
                {
                    foreach (var p in parentsJson.EnumerateArray())
                    {
                        var parent = CedarJsonValues.ToUid(p, out error);
                        if (parent is null)
                        {
                            problems.Add(new PolicyProblem("entities.parse", $"{where} ({uid}) parent: {error}", source.Path));
                            continue;
                        }

                        parents.Add(parent);
                    }
                }

                result.Add(new Entity(uid, record, parents));
            }
        }

        return result;
    }
}
