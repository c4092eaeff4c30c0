namespace Mandate.Core.Decisions;

/// <summary>Everything a policy compiler turns into an <see cref="IDecisionPoint"/>.</summary>
/// <param name="Namespace">Namespace that qualifies short type names (<c>Agent</c> → <c>Mandate::Agent</c>); empty for none.</param>
/// <param name="Policies">The <c>.cedar</c> files, in a stable (ordinal path) order.</param>
/// <param name="Schema">The <c>.cedarschema</c> file; when present, policies are validated against it (strict).</param>
/// <param name="Entities">The Cedar entities JSON file, if configured.</param>
/// <param name="Agents">The agents registry from the configuration.</param>
public sealed record PolicyInputs(
    string Namespace,
    IReadOnlyList<PolicySource> Policies,
    PolicySource? Schema,
    PolicySource? Entities,
    IReadOnlyList<AgentRecord> Agents)
{
    /// <summary>Attributes routes give their resource entities; with a schema, each is checked against its entity type's shape.</summary>
    public IReadOnlyList<ResourceAttributeSource> ResourceAttributes { get; init; } = [];
}
