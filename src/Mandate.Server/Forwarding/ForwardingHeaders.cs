using System.Net;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Forwarding;

/// <summary>
/// Which request headers never reach an upstream, and how the client address is determined.
/// Forwarding headers from the agent are never believed: the agent could claim any address,
/// URL or method. Mandate sets its own <c>X-Forwarded-For/Proto/Host</c>.
/// </summary>
public static class ForwardingHeaders
{
    /// <summary>
    /// Removed from every forwarded request. <c>Authorization</c>/<c>Proxy-Authorization</c>: the agent's
    /// credential is for Mandate only. <c>Cookie</c>: ambient browser credentials are not the agent's to pass on.
    /// The rest: address/URL/method claims that some upstream frameworks believe.
    /// </summary>
    public static readonly IReadOnlySet<string> Stripped = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Forwarded", "X-Real-IP", "X-Client-IP", "True-Client-IP",
        "CF-Connecting-IP", "Fastly-Client-IP", "X-Cluster-Client-IP", "X-Original-URL", "X-Rewrite-URL", "X-Original-URI",
        "X-Original-Host", "X-Original-Method", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
        "Proxy-Connection", "Keep-Alive", "TE", "Trailer", "Upgrade", "Connection",
    };

    /// <summary>True when a header must not be forwarded.</summary>
    public static bool IsStripped(string name) =>
        Stripped.Contains(name) ||
        name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("X-Mandate-", StringComparison.OrdinalIgnoreCase);

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
