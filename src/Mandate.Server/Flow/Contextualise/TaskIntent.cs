using Mandate.Core.Tokens;

namespace Mandate.Server.Flow.Contextualise;

/// <summary>
/// Whether a call lies inside the task its token declared (<see cref="TaskTokenPrincipal.IsInTask(IReadOnlyList{string}, IReadOnlyList{string})"/>),
/// with the names each front gives a call. Action: the Cedar action's id (<c>tickets.read</c>, <c>mcp.tools.call</c>)
/// and, for an MCP item, <c>action:server/name</c> (<c>mcp.tools.call:helpdesk/search_tickets</c>, so a task may
/// declare one tool, or <c>mcp.tools.call:helpdesk/*</c> for a server's tools). Resource: the entity
/// (<c>Mandate::Ticket::"42"</c>) and the canonical path (<c>/tickets/42</c>, or the MCP endpoint's). A listing is
/// never outside a task: its answer is filtered item by item with the same rule.
/// </summary>
public static class TaskIntent
{
    /// <summary>True when <paramref name="call"/> is inside <paramref name="task"/>.</summary>
    public static bool IsInTask(TaskTokenPrincipal task, FlowRequest request, FlowCall call)
    {
        if (call.IsListing)
        {
            return true;
        }

        string[] actions = call.ItemName is { } item ? [call.Action.Id, call.Action.Id + ":" + item] : [call.Action.Id];
        string[] resources = [call.Resource.Entity.ToString(), request.Facts.Path];
        return task.IsInTask(actions, resources);
    }
}
