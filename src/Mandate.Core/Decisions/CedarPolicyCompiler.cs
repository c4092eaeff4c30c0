using Mandate.Core.Errors;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Json;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Validation;

namespace Mandate.Core.Decisions;

/// <summary>
/// Compiles policy inputs with Mandate's Cedar engine: parses every <c>.cedar</c> file into one set
/// (policies named by <c>@id</c>, else positionally), parses the schema and validates the policies
/// against it (strict), reads the entities file (schema-typed) and the agents registry, checks the
/// entities conform to the schema, and builds the <see cref="Authorizer"/>. Every problem found is
/// reported; nothing partial is produced.
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
            problems.Add(new PolicyProblem(ErrorCatalogue.PolicyParse, $"{d.Message} ({d.Code})", d.File, d.Line));
        }

        CedarSchema? schema = null;
        if (inputs.Schema is { } schemaSource)
        {
            var result = SchemaParser.Parse(schemaSource.Text, schemaSource.Path);
            foreach (var d in result.Diagnostics)
            {
                problems.Add(new PolicyProblem(ErrorCatalogue.SchemaParse, $"{d.Message} ({d.Code})", d.FileName, d.Line));
            }

            schema = result.Schema;
        }

        if (schema is not null && parsed.Value is not null)
        {
            foreach (var error in Validator.Validate(schema, parsed.Value, ValidationMode.Strict).Errors)
            {
                problems.Add(Locate(error, inputs.Policies));
            }
        }

        var entities = new List<Entity>();
        if (inputs.Entities is not null || schema is not null)
        {
            // With a schema, the schema's actions (and their groups) are added as entities here.
            var entitiesSource = inputs.Entities ?? new PolicySource("<no entities file>", "[]");
            var read = EntityJson.ParseEntities(entitiesSource.Text, schema);
            foreach (var e in read.Errors)
            {
                problems.Add(new PolicyProblem(ErrorCatalogue.EntitiesParse, e.ToString(), entitiesSource.Path));
            }

            entities.AddRange(read.Value ?? []);
        }

        var agentType = Qualify("Agent", inputs.Namespace);
        var agents = new List<Entity>();
        foreach (var agent in inputs.Agents)
        {
            var record = CedarJsonValues.ToRecord(agent.Attributes, out var error);
            if (record is null)
            {
                problems.Add(new PolicyProblem(ErrorCatalogue.AgentsAttributes, $"agent `{agent.Id}`: {error}"));
                continue;
            }

            var uid = new EntityUid(agentType, agent.Id);
            var parents = agent.Parents.Select(p => new EntityUid(p.Type, p.Id));
            var existing = entities.FindIndex(e => e.Uid == uid);
            if (existing >= 0)
            {
                // The registry adds to (and overrides) what the entities file says about the same agent.
                var file = entities[existing];
                var merged = file.Attributes.Fields.Concat(record.Fields).GroupBy(f => f.Key).Select(g => g.Last());
                entities[existing] = new Entity(uid, Cedar.Values.Value.Record(merged), file.Parents.Concat(parents), file.Tags);
                agents.Add(entities[existing]);
            }
            else
            {
                var entity = new Entity(uid, record, parents);
                entities.Add(entity);
                agents.Add(entity);
            }
        }

        if (schema is not null)
        {
            problems.AddRange(CheckResourceAttributes(schema, inputs.ResourceAttributes));
            foreach (var e in EntityValidator.Validate(schema, agents))
            {
                problems.Add(new PolicyProblem(ErrorCatalogue.AgentsSchema, e.ToString()));
            }
        }

        foreach (var d in entities.GroupBy(e => e.Uid).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add(new PolicyProblem(ErrorCatalogue.EntitiesDuplicate, $"entity `{d}` is defined more than once", inputs.Entities?.Path));
        }

        if (problems.Count == 0 && parsed.Value is { Policies.Length: 0 })
        {
            problems.Add(new PolicyProblem(ErrorCatalogue.PolicyEmpty, "the policy files hold no policies; nothing could ever be allowed"));
        }

        if (problems.Count > 0 || parsed.Value is null)
        {
            return PolicyCompilation.Failure(problems.Count > 0 ? problems : [new PolicyProblem(ErrorCatalogue.PolicyParse, "no policy set was produced")]);
        }

        // `@shadow` policies are log-only: left out of the live set, decided in the shadow set beside it (the whole set,
        // as it would be were they promoted), so their effect is recorded before it is real.
        var store = new EntityStore(entities);
        var all = parsed.Value;
        if (!all.Policies.Any(p => p.Annotation("shadow") is not null))
        {
            return PolicyCompilation.Success(new CedarDecisionPoint(new Authorizer(all), store, agentType));
        }

        var live = new PolicySet([.. all.Policies.Where(p => p.Annotation("shadow") is null)], all.Templates);
        return PolicyCompilation.Success(new CedarDecisionPoint(new Authorizer(live), store, agentType)) with
        {
            Shadow = new CedarDecisionPoint(new Authorizer(all), store, agentType),
        };
    }

    // A route's attributes are partial (merged over the entities file per request, with an id known only then),
    // so each is checked on its own against the declared attribute; the type's required attributes are not
    // demanded here. A type the schema does not declare is left to policy validation. The value check is the
    // engine's own (the one entity validation uses), so a route cannot hold a value the entities file could not.
    private static IEnumerable<PolicyProblem> CheckResourceAttributes(CedarSchema schema, IReadOnlyList<ResourceAttributeSource> sources)
    {
        foreach (var source in sources)
        {
            if (schema.FindEntityType(source.EntityType) is not { } definition)
            {
                continue;
            }

            string? problem;
            if (definition.Shape.Find(source.Name) is not { } declared)
            {
                var known = definition.Shape.Attributes.Count == 0 ? "it declares none" : "it declares " + string.Join(", ", definition.Shape.Attributes.Select(a => $"`{a.Name}`"));
                problem = $"the schema's `{source.EntityType}` has no attribute `{source.Name}` ({known})";
            }
            else if (CedarJsonValues.ToValue(source.Value, out var error) is not { } value)
            {
                problem = $"no cedar value: {error}";
            }
            else
            {
                problem = ValueConformance.Check(value, declared.Type, schema) is { } mismatch
                    ? $"does not match the schema's `{source.EntityType}.{source.Name}`: {mismatch}"
                    : null;
            }

            if (problem is not null)
            {
                yield return new PolicyProblem(ErrorCatalogue.RoutesSchema, $"{source.ConfigPath}: {problem}", source.File, source.Line);
            }
        }
    }

    // Spans are offsets into one file; the file is found by the policy's @id annotation.
    private static PolicyProblem Locate(ValidationError error, IReadOnlyList<PolicySource> sources)
    {
        var file = sources.FirstOrDefault(s => s.Text.Contains($"@id(\"{error.PolicyId}\")", StringComparison.Ordinal));
        if (file is null)
        {
            return new PolicyProblem(ErrorCatalogue.PolicyValidation, error.ToString());
        }

        var d = error.ToDiagnostic(file.Text, file.Path);
        return new PolicyProblem(ErrorCatalogue.PolicyValidation, d.Message + $" ({error.Code})", file.Path, d.Line == 0 ? null : d.Line);
    }

    private static string Qualify(string name, string ns) => ns.Length == 0 ? name : $"{ns}::{name}";
}
