using Mandate.Core.Decisions;

namespace Mandate.Server.Configuration;

// `policies` and `agents`: where the Cedar policies and schema are, and the agents the registry knows.
public sealed partial class MandateConfigValidator
{
    private PolicyConfig Policies(PoliciesDocument? p)
    {
        if (p is null)
        {
            Problem("policies", "required: `directory` (a folder of .cedar files) and optionally `schema`");
            return new PolicyConfig("", null, "Mandate");
        }

        var directory = "";
        if (p.Directory is null)
        {
            Problem("policies.directory", "required");
        }
        else
        {
            directory = ResolvePath(p.Directory, "policies.directory");
            if (directory.Length > 0 && !Directory.Exists(directory))
            {
                Problem("policies.directory", $"folder `{directory}` does not exist");
            }
        }

        var schema = p.Schema is null ? null : ExistingFile(p.Schema, "policies.schema");
        var ns = p.Namespace ?? "Mandate";
        if (ns.Length > 0 && !CedarPath().IsMatch(ns))
        {
            Problem("policies.namespace", $"`{ns}` is not a cedar namespace (Name or Name::Name)");
        }

        string? shadow = null;
        if (p.Shadow is not null)
        {
            shadow = ResolvePath(p.Shadow, "policies.shadow");
            if (shadow.Length > 0 && !Directory.Exists(shadow))
            {
                Problem("policies.shadow", $"folder `{shadow}` does not exist");
            }
            else if (shadow.Length > 0 && Path.GetFullPath(shadow).TrimEnd('/') == Path.GetFullPath(directory).TrimEnd('/'))
            {
                Problem("policies.shadow", "the candidate folder must not be the live one");
            }
        }

        return new PolicyConfig(directory, schema, ns) { ShadowDirectory = shadow };
    }

    private List<AgentRecord> Agents(Dictionary<string, AgentDocument?>? agents, string ns)
    {
        var result = new List<AgentRecord>();
        foreach (var (id, a) in agents ?? [])
        {
            var path = $"agents.{id}";
            if (id.Length == 0)
            {
                Problem(path, "an agent id must not be empty");
                continue;
            }

            var parents = new List<EntityRef>();
            for (var i = 0; i < (a?.Parents?.Count ?? 0); i++)
            {
                var parent = EntityReference(a!.Parents![i], $"{path}.parents[{i}]", ns);
                if (parent is not null)
                {
                    parents.Add(parent);
                }
            }

            result.Add(new AgentRecord(id, parents, Attributes($"{path}.attributes")));
        }

        return result;
    }
}
