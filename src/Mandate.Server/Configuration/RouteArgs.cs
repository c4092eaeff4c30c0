namespace Mandate.Server.Configuration;

/// <summary><c>routes[i].args</c>: what of the request becomes <c>context.args</c>.</summary>
public enum RouteArgs
{
    /// <summary>Nothing: the body is forwarded unread and <c>context.args</c> is absent.</summary>
    None,

    /// <summary>
    /// The body, which must be one strict JSON object (<c>Content-Type: application/json</c>, no repeated member
    /// names, at most <see cref="RouteConfig.ArgsMaxBytes"/>), read whole before the decision; the bytes decided on
    /// are the bytes forwarded.
    /// </summary>
    Json,
}
