using Mandate.Core.Decisions;
using Mandate.Server.Configuration;

namespace Mandate.Server.Routing;

/// <summary>A request classified by the route table.</summary>
/// <param name="Route">The matched route.</param>
/// <param name="Parameters">Path parameter values (decoded).</param>
/// <param name="Resource">The resource entity built from the route's template.</param>
public sealed record RouteMatch(RouteConfig Route, IReadOnlyDictionary<string, string> Parameters, ResourceDescriptor Resource);
