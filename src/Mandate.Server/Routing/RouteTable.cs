using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Paths;

namespace Mandate.Server.Routing;

/// <summary>
/// Maps method + canonical path to a route. Among templates that match, the most specific wins
/// (segment by segment: literal, then parameter, then catch-all); ties are impossible because the
/// configuration refuses two routes with the same method and shape. Immutable.
/// </summary>
public sealed class RouteTable
{
    private readonly IReadOnlyList<RouteConfig> _routes;

    /// <summary>Creates a table over validated routes.</summary>
    public RouteTable(IReadOnlyList<RouteConfig> routes) => _routes = routes;

    /// <summary>The routes, in configuration order.</summary>
    public IReadOnlyList<RouteConfig> Routes => _routes;

    /// <summary>Finds the route for a request.</summary>
    /// <returns>The match; or null with <paramref name="pathKnown"/> telling whether another method would have matched (405 vs 404).</returns>
    public RouteMatch? Resolve(string method, CanonicalPath path, out bool pathKnown)
    {
        pathKnown = false;
        RouteConfig? best = null;
        IReadOnlyDictionary<string, string>? bestValues = null;
        foreach (var route in _routes)
        {
            var values = route.Path.Match(path);
            if (values is null)
            {
                continue;
            }

            pathKnown = true;
            if (route.Method != "*" && !string.Equals(route.Method, method, StringComparison.Ordinal))
            {
                continue;
            }

            // An exact method beats `*` for the same shape; otherwise the more specific template wins.
            if (best is null || IsBetter(route, best))
            {
                best = route;
                bestValues = values;
            }
        }

        return best is null ? null : new RouteMatch(best, bestValues!, BuildResource(best.Resource, bestValues!));
    }

    private static bool IsBetter(RouteConfig candidate, RouteConfig current)
    {
        var c = candidate.Path.CompareSpecificity(current.Path);
        if (c != 0)
        {
            return c < 0;
        }

        return current.Method == "*" && candidate.Method != "*";
    }

    private static ResourceDescriptor BuildResource(ResourceTemplate template, IReadOnlyDictionary<string, string> values) =>
        new(
            new EntityRef(template.Type, template.Id.Render(values)),
            template.Parents.Select(p => new EntityRef(p.Type, p.Id.Render(values))).ToArray(),
            template.Attributes);
}
