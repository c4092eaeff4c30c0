namespace Mandate.Server.Flow;

/// <summary>A way a call reaches Mandate. A front translates its protocol into a <see cref="FlowCall"/> and the
/// <see cref="Verdict"/> back; deciding and recording are the flow's.</summary>
public enum Front
{
    /// <summary>The HTTP proxy: method + canonical path through the route table, forwarded with YARP.</summary>
    Http,

    /// <summary>The MCP endpoints: JSON-RPC messages over Streamable HTTP.</summary>
    Mcp,

    /// <summary>The OAuth token endpoint: RFC 8693 token exchange.</summary>
    OAuth,

    /// <summary>The OpenID AuthZEN Authorization API 1.0: a PEP asks about a subject, an action and a resource.</summary>
    AuthZen,

    /// <summary>Envoy's ext_authz HTTP service: Envoy forwards a request's method, path and headers and asks allow or deny.</summary>
    Envoy,

    /// <summary>nginx's <c>auth_request</c>: nginx asks with the original method and URI in headers.</summary>
    Nginx,
}

/// <summary>How a front is named in audit records and logs.</summary>
public static class FrontNames
{
    /// <summary>The front's name: <c>http</c>, <c>mcp</c>, <c>oauth</c>, <c>authzen</c>, <c>envoy</c>, <c>nginx</c>.</summary>
    public static string Name(this Front front) => front switch
    {
        Front.Http => "http",
        Front.Mcp => "mcp",
        Front.OAuth => "oauth",
        Front.AuthZen => "authzen",
        Front.Envoy => "envoy",
        Front.Nginx => "nginx",
        _ => "unknown",
    };
}
