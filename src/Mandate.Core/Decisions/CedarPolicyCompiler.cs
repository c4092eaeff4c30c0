using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;

namespace Mandate.Core.Decisions;

/// <summary>
/// Compiles policy inputs with Mandate's Cedar engine: parses every <c>.cedar</c> file into one
/// set (policies named by <c>@id</c>, else positionally), parses the schema, reads the entities file
/// and the agents registry into an entity store, and builds the <see cref="Authorizer"/>.
/// </summary>
public sealed class CedarPolicyCompiler : IPolicyCompiler
{
    /// <inheritdoc />
    public PolicyCompilation Compile(PolicyInputs inputs)
    {
        var problems = new List<PolicyProblem>();
        var parsed = PolicyParser.ParsePolicySet(inputs.Policies.Select(p => (p.Path, p.Text)), PolicyIdMode.AnnotationOrPositional);
        foreach (var d in parsed.Diagnostics)
        {
            problems.Add(new PolicyProblem("policy.parse", $"{d.Message} ({d.Code})", d.File, d.Line));
        }

        CedarSchema? schema = null;
        if (inputs.Schema is { } schemaSource)
        {
            var result = SchemaParser.Parse(schemaSource.Text, schemaSource.Path);
            foreach (var d in result.Diagnostics)
            {
                problems.Add(new PolicyProblem("schema.parse", $"{d.Message} ({d.Code})", d.FileName, d.Line));
            }

            schema = result.Schema;
        }

        var entities = new List<Entity>();
        if (inputs.Entities is { } entitiesSource)
        {
            entities.AddRange(CedarEntitiesFile.Parse(entitiesSource, problems));
        }

        var agentType = Qualify("Agent", inputs.Namespace);
        foreach (var agent in inputs.Agents)
        {
            var record = CedarJsonValues.ToRecord(agent.Attributes, out var error);
            if (record is null)
            {
                problems.Add(new PolicyProblem("agents.attributes", $"agent `{agent.Id}`: {error}"));
                continue;
            }

            var uid = new EntityUid(agentType, agent.Id);
            var existing = entities.FindIndex(e => e.Uid == uid);
            var parents = agent.Parents.Select(p => new EntityUid(p.Type, p.Id));
            if (existing >= 0)
            {
                // The registry adds to what the entities file says about the same agent.
                var file = entities[existing];
                var merged = file.Attributes.Fields.Concat(record.Fields).GroupBy(f => f.Key).Select(g => g.Last());
                entities[existing] = new Entity(uid, Cedar.Values.Value.Record(merged), file.Parents.Concat(parents), file.Tags);
            }
            else
            {
                entities.Add(new Entity(uid, record, parents));
            }
        }

        if (schema is not null)
        {
            // Action groups come from the schema's `in [...]`, so `action in Action::"write"` works.
            foreach (var (uid, definition) in schema.Actions)
            {
                if (!entities.Any(e => e.Uid == uid))
                {
                    entities.Add(new Entity(uid, null, definition.MemberOf));
                }
            }
        }

        var duplicates = entities.GroupBy(e => e.Uid).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        foreach (var d in duplicates)
        {
            problems.Add(new PolicyProblem("entities.duplicate", $"entity `{d}` is defined more than once", inputs.Entities?.Path));
        }

        if (problems.Count > 0 || parsed.Value is null)
        {
            return PolicyCompilation.Failure(problems.Count > 0 ? problems : [new PolicyProblem("policy.parse", "no policy set was produced")]);
        }

        var templates = parsed.Value.Templates;
        if (templates.Length > 0 && parsed.Value.Policies.Length == 0)
        {
            problems.Add(new PolicyProblem("policy.templates_only", "the policy files hold only templates; nothing could ever be allowed"));
            return PolicyCompilation.Failure(problems);
        }

        var store = new EntityStore(entities);
        return PolicyCompilation.Success(new CedarDecisionPoint(new Authorizer(parsed.Value), store, agentType));
    }

    private static string Qualify(string name, string ns) => ns.Length == 0 ? name : $"{ns}::{name}";
}
