using Mandate.Server.Flow;
using Mandate.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// The call a request makes on the route it matched, the same for the proxy and for the check fronts that ask about a
/// request a proxy holds: the route's action and resource, its labels, write flag and approval timing, and the approval
/// the request presents (<c>Mandate-Approval</c>).
/// </summary>
public static class RouteCalls
{
    /// <summary>The call; <paramref name="hasUnreadBody"/> when a body goes upstream that Mandate does not read (no approval can bind it).</summary>
    public static FlowCall For(RouteMatch match, HttpRequest request, bool hasUnreadBody)
    {
        var route = match.Route;
        return new FlowCall(route.Action, match.Resource)
        {
            Upstream = route.Upstream,
            Labels = route.Labels,
            IsWrite = route.Write,
            ApprovalExpiry = route.ApprovalExpiry,
            ApprovalId = ApprovalHeader.Read(request),
            HasUnreadBody = hasUnreadBody,
        };
    }

    /// <summary>Whether the request declares a body: any length, or a chunked body.</summary>
    public static bool DeclaresBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
