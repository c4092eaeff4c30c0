namespace Mandate.Core.Mcp;

/// <summary>How the gateway treats one client message.</summary>
public enum McpCallKind
{
    /// <summary>Needs a policy decision (action on a resource) before it is forwarded.</summary>
    Decide,

    /// <summary>Protocol housekeeping (initialize, ping, client notifications): forwarded without a decision.</summary>
    Plumbing,

    /// <summary>Refused without a decision (unknown method, malformed parameters, bad names); never forwarded.</summary>
    Refused,

    /// <summary>The client's response to a server-initiated request (e.g. sampling).</summary>
    ClientResponse,
}
