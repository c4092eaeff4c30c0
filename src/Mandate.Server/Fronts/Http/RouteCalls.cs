using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Server.Paths;
using Mandate.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// The call a request makes on the route it matched, the same for the proxy and for the check fronts that ask about a
/// request a proxy holds: the route's action and resource, its labels, write flag and approval timing, and the approval
/// the request presents (<c>Mandate-Approval</c>), whether it requires DPoP; and the route's rule on non-ASCII paths.
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
            RequiresDpop = route.DpopRequired,
            Durability = route.Durability,
        };
    }

    /// <summary>
    /// The refusal of a path the route does not take: non-ASCII characters on a route without <c>nonAscii: allow</c>
    /// (<c>path.non_ascii</c>), or not in NFKC form where they are allowed (<c>path.not_normalized</c>); null when fine.
    /// </summary>
    public static (ErrorCode Code, string Message)? PathRefusal(RouteMatch match, CanonicalPath path)
    {
        if (path.IsAscii)
        {
            return null;
        }

        if (!match.Route.NonAsciiPaths)
        {
            return (ErrorCatalogue.PathNonAscii, "this route takes only ascii paths; the path holds a non-ascii character");
        }

        return path.IsNfkc
            ? null
            : (ErrorCatalogue.PathNotNormalized, "the path's non-ascii characters must be sent in unicode nfkc form (composed, no compatibility characters)");
    }

    /// <summary>Whether the request declares a body: any length, or a chunked body.</summary>
    public static bool DeclaresBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
