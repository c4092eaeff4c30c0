using Mandate.Core.Decisions;
using Mandate.Core.Tokens;

namespace Mandate.Server.Tokens;

/// <summary>
/// Whether a gateway request falls inside the task its token declared. Tools/actions match the route's Cedar action
/// id; resources match either the resource entity (<c>Mandate::Ticket::"42"</c>) or the canonical path
/// (<c>/tickets/42</c>); a pattern ending in <c>*</c> matches by prefix. An empty list declares no restriction.
/// </summary>
public static class TaskScope
{
    /// <summary>True when <paramref name="action"/> on <paramref name="resource"/> at <paramref name="path"/> is inside the task.</summary>
    public static bool IsInTask(TaskTokenPrincipal principal, EntityRef action, EntityRef resource, string path)
    {
        var grant = principal.Grant;
        var toolOk = grant.Tools.Count == 0 || GrantPatterns.AnyCovers(grant.Tools, action.Id);
        var resourceOk = grant.Resources.Count == 0
            || GrantPatterns.AnyCovers(grant.Resources, resource.ToString())
            || GrantPatterns.AnyCovers(grant.Resources, path);
        return toolOk && resourceOk;
    }

    /// <summary>The Cedar <c>context.session</c> for this request.</summary>
    public static SessionFacts Session(TaskTokenPrincipal principal, bool inTask) => new(
        principal.SessionId,
        principal.Grant.Intent,
        principal.Grant.Tools,
        principal.Grant.Resources,
        inTask,
        principal.Depth,
        principal.ParentSessionId ?? "",
        principal.IssuedAt,
        principal.ExpiresAt);
}
