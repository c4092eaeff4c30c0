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

    /// <summary>The call's data labels from its route's or tool's configuration (the resource's <c>labels</c> attribute is added by the flow).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Whether the call counts as a write.</summary>
    public bool IsWrite { get; init; }

    /// <summary>The approval the caller presents for this call (<c>Mandate-Approval</c>, or MCP <c>_meta</c>), if any.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>How long an approval opened for this call lasts; null for <c>approvals.expirySeconds</c>.</summary>
    public TimeSpan? ApprovalExpiry { get; init; }

    /// <summary>
    /// True when the front forwards a body it did not read (an HTTP route without <c>args: json</c>): no approval can
    /// bind it, so none is opened or used for the call.
    /// </summary>
    public bool HasUnreadBody { get; init; }

    /// <summary>The name the call adds to its session's <c>tools_used</c>: the action id, or <c>action:server/name</c> for an MCP item.</summary>
    public string ToolName => ItemName is { } item ? Action.Id + ":" + item : Action.Id;

    /// <summary>
    /// The principal the call is decided for when it is not the caller: the subject a decision API is asked about
    /// (AuthZEN), with the attributes the asker supplied under those Mandate knows. The caller must be allowed to ask
    /// about it (<c>decisionApis.authzen.clients[].subjects</c>). Null: the caller's own agent.
    /// </summary>
    public ResourceDescriptor? Principal { get; init; }

    /// <summary>True when the call's place accepts only a DPoP-bound task token with a proof (a route with
    /// <c>dpop: required</c>); the flow refuses any other caller with <c>dpop.required</c>.</summary>
    public bool RequiresDpop { get; init; }

    /// <summary>The durability class of the call's decision record: <c>power_loss</c> for a route or tool marked so
    /// (<c>durability</c>), else the default.</summary>
    public Mandate.Core.Audit.AuditDurability Durability { get; init; }

    /// <summary>What a record of this call names.</summary>
    public CallSubject Subject => new(Action, Resource.Entity, Upstream) { Principal = Principal?.Entity, Durability = Durability };
}
