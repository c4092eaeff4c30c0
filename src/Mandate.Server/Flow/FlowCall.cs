using System.Text.Json;
using Mandate.Core.Decisions;

namespace Mandate.Server.Flow;

/// <summary>
/// What a caller asks for, in the flow's terms, whichever front it came through: a Cedar action on a resource
/// entity, with the arguments the agent sent. Fronts build it (the route table, the MCP classifier, the token
/// endpoint); the flow builds the context, decides and records from it.
/// </summary>
/// <param name="Action">The Cedar action entity.</param>
/// <param name="Resource">The resource entity with its parents and attributes.</param>
public sealed record FlowCall(EntityRef Action, ResourceDescriptor Resource)
{
    /// <summary>
    /// The MCP item the call is on (a tool's, prompt's or resource's <c>server/name</c>), which the in-task rule
    /// names as <c>action:server/name</c>; null for HTTP routes and calls on a server as a whole.
    /// </summary>
    public string? ItemName { get; init; }

    /// <summary>The arguments the agent sent (<c>context.args</c>): MCP tool arguments or a route's JSON body.</summary>
    public JsonElement? Args { get; init; }

    /// <summary>The upstream the call goes to when allowed, for the record (<c>tickets</c>, <c>mcp:docs</c>).</summary>
    public string? Upstream { get; init; }

    /// <summary>
    /// True for a call that only lists what the caller could use (MCP <c>tools/list</c> and the like): it is never
    /// outside a task, because its answer is filtered item by item with the same rule.
    /// </summary>
    public bool IsListing { get; init; }

    /// <summary>
    /// The <c>context.delegation</c> the call is about, when it is not the caller's own: the token endpoint decides on
    /// the delegation the requested token would carry.
    /// </summary>
    public DelegationFacts? Delegation { get; init; }

    /// <summary>Further context members the front established itself (the token endpoint's <c>exchange</c>).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>True when the call's place accepts only a DPoP-bound task token with a proof (a route with
    /// <c>dpop: required</c>); the flow refuses any other caller with <c>dpop.required</c>.</summary>
    public bool RequiresDpop { get; init; }

    /// <summary>What a record of this call names.</summary>
    public CallSubject Subject => new(Action, Resource.Entity, Upstream);
}
