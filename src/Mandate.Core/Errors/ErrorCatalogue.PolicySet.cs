namespace Mandate.Core.Errors;

/// <summary>
/// Why a policy set (policies, schema, entities, and the agents and routes checked against them) was refused at start
/// or on reload: in <c>mandate serve --check</c>, a reload's 422 answer and the <c>policy_refused</c> audit record.
/// </summary>
public static partial class ErrorCatalogue
{
    private const string PolicySetRefused = "policy set refused";

    /// <summary>A policy file does not parse.</summary>
    public static readonly ErrorCode PolicyParse = new("policy.parse", 422, PolicySetRefused);
    /// <summary>A policy does not validate against the schema.</summary>
    public static readonly ErrorCode PolicyValidation = new("policy.validation", 422, PolicySetRefused);
    /// <summary>The policy files hold no policies: nothing could ever be allowed.</summary>
    public static readonly ErrorCode PolicyEmpty = new("policy.empty", 422, PolicySetRefused);
    /// <summary>The schema does not parse.</summary>
    public static readonly ErrorCode SchemaParse = new("schema.parse", 422, PolicySetRefused);
    /// <summary>The entities file does not parse (or does not conform to the schema).</summary>
    public static readonly ErrorCode EntitiesParse = new("entities.parse", 422, PolicySetRefused);
    /// <summary>The entities file and the configuration define the same entity twice.</summary>
    public static readonly ErrorCode EntitiesDuplicate = new("entities.duplicate", 422, PolicySetRefused);
    /// <summary>An agent's configured attributes are not valid Cedar values.</summary>
    public static readonly ErrorCode AgentsAttributes = new("agents.attributes", 422, PolicySetRefused);
    /// <summary>An agent's configured attributes do not conform to the schema.</summary>
    public static readonly ErrorCode AgentsSchema = new("agents.schema", 422, PolicySetRefused);
    /// <summary>A route's resource attributes do not conform to the schema.</summary>
    public static readonly ErrorCode RoutesSchema = new("routes.schema", 422, PolicySetRefused);
}
