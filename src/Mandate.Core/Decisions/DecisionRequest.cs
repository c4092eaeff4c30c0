namespace Mandate.Core.Decisions;

/// <summary>Everything the decision point needs to answer one request; built by the gateway pipeline.</summary>
/// <param name="DecisionId">Unique id, returned to the caller and written to the audit log.</param>
/// <param name="Caller">The verified caller (the Cedar principal is its <see cref="CallerIdentity.AgentId"/>).</param>
/// <param name="Action">The Cedar action entity.</param>
/// <param name="Resource">The resource entity with parents and attributes.</param>
/// <param name="Context">The Cedar context.</param>
public sealed record DecisionRequest(
    string DecisionId,
    CallerIdentity Caller,
    EntityRef Action,
    ResourceDescriptor Resource,
    DecisionContext Context)
{
    /// <summary>
    /// The principal when it is not the caller's agent: the subject a decision API is asked about (AuthZEN's
    /// <c>subject</c>), with the attributes the asker supplied. Null: the principal is <c>Agent::"AgentId"</c>.
    /// </summary>
    public ResourceDescriptor? Principal { get; init; }
}
