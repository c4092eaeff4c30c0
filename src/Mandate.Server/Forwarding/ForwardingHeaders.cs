using System.Net;
using Mandate.Server.Configuration;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Forwarding;

/// <summary>
/// Which request headers reach an upstream (an allowlist per route, <see cref="RequestHeaderRules"/>), and how the
/// client address is determined. Forwarding headers from the agent are never believed: the agent could claim any
/// address, URL or method. Mandate sets its own <c>X-Forwarded-For/Proto/Host</c>.
/// </summary>
public static class ForwardingHeaders
{
    /// <summary>
    /// True when an agent request header may reach the upstream of a route that forwards <paramref name="forwarded"/>
    /// (<see cref="RouteConfig.ForwardedHeaders"/>): listed there and not of a kind that is never forwarded
    /// (<see cref="RequestHeaderRules.IsNeverForwarded"/>, checked again here though configuration refuses to list
    /// one). Body framing is the forwarder's and always passes.
    /// </summary>
    public static bool IsForwarded(string name, IReadOnlySet<string> forwarded) =>
        RequestHeaderRules.Framing.Contains(name) || (forwarded.Contains(name) && !RequestHeaderRules.IsNeverForwarded(name));

    /// <summary>
    /// The client address: the TCP peer, unless the peer is a trusted proxy, in which case the
    /// right-most <c>X-Forwarded-For</c> entry that is not itself a trusted proxy. A malformed entry
    /// stops the walk at the last address that could be trusted.
    /// </summary>
    public static IPAddress ClientAddress(HttpContext context, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var peer = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        if (trustedProxies.Count == 0 || !IsTrusted(peer, trustedProxies))
        {
            return peer;
        }

        var entries = context.Request.Headers["X-Forwarded-For"].SelectMany(v => (v ?? "").Split(',')).Select(e => e.Trim()).ToArray();
        var client = peer;
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(entries[i], out var hop))
            {
                break;
            }

            client = hop.IsIPv4MappedToIPv6 ? hop.MapToIPv4() : hop;
            if (!IsTrusted(client, trustedProxies))
            {
                break;
            }
        }

        return client;
    }

    private static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> networks)
    {
        foreach (var n in networks)
        {
            if (n.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
