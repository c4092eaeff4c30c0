using Mandate.Core.Tokens;

namespace Mandate.Server.Flow.Contextualise;

/// <summary>
/// Whether a call lies inside the task its token declared (<see cref="TaskTokenPrincipal.IsInTask(IReadOnlyList{string}, IReadOnlyList{string})"/>),
/// with the names each front gives a call: the action's id and, for MCP, the item's <c>server/name</c>; the
/// resource's entity (<c>Mandate::Ticket::"42"</c>), the canonical path (<c>/tickets/42</c>, or the MCP endpoint's),
/// and the MCP item's <c>server/name</c>. A listing is never outside a task: its answer is filtered with the same rule.
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

        string[] actions = call.ItemName is { } item ? [call.Action.Id, item] : [call.Action.Id];
        string[] resources = call.ItemName is { } name
            ? [call.Resource.Entity.ToString(), request.Facts.Path, name]
            : [call.Resource.Entity.ToString(), request.Facts.Path];
        return task.IsInTask(actions, resources);
    }
}
