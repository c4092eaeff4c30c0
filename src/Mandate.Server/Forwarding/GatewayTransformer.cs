using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Mandate.Server.Forwarding;

/// <summary>
/// Shapes the forwarded request: the exact canonical path and query that were authorized (never the
/// raw target), no agent credential or forwarding claims, Mandate's own <c>X-Forwarded-*</c>, and the
/// upstream credential when the route has one. One instance per request.
/// </summary>
public sealed class GatewayTransformer : HttpTransformer
{
    private readonly Uri _destination;
    private readonly string _clientIp;
    private readonly KeyValuePair<string, string>? _credential;

    /// <summary>Creates the transformer for one request.</summary>
    /// <param name="destination">The full upstream URL: upstream base + canonical path + query.</param>
    /// <param name="clientIp">The client address Mandate determined.</param>
    /// <param name="credential">Header name and value of the upstream credential, if any.</param>
    public GatewayTransformer(Uri destination, string clientIp, KeyValuePair<string, string>? credential)
    {
        _destination = destination;
        _clientIp = clientIp;
        _credential = credential;
    }

    /// <summary>Builds the upstream URL from the upstream base and the canonical path and query.</summary>
    public static Uri Destination(Uri upstream, string canonicalPath, string query)
    {
        var basePath = upstream.AbsolutePath.TrimEnd('/');
        var builder = upstream.GetLeftPart(UriPartial.Authority) + basePath + canonicalPath + query;
        return new Uri(builder, UriKind.Absolute);
    }

    /// <inheritdoc />
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // Headers named in Connection are hop-by-hop for this request too (RFC 9110 §7.6.1).
        var connectionListed = httpContext.Request.Headers.Connection
            .SelectMany(v => (v ?? "").Split(','))
            .Select(v => v.Trim())
            .Where(v => v.Length > 0)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in proxyRequest.Headers.Select(h => h.Key).ToArray())
        {
            if (ForwardingHeaders.IsStripped(name) || connectionListed.Contains(name))
            {
                proxyRequest.Headers.Remove(name);
            }
        }

        if (proxyRequest.Content is not null)
        {
            foreach (var name in proxyRequest.Content.Headers.Select(h => h.Key).ToArray())
            {
                if (ForwardingHeaders.IsStripped(name) || connectionListed.Contains(name))
                {
                    proxyRequest.Content.Headers.Remove(name);
                }
            }
        }

        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", _clientIp);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", httpContext.Request.Scheme);
        if (httpContext.Request.Host.HasValue)
        {
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", httpContext.Request.Host.Value);
        }

        if (_credential is { } credential)
        {
            proxyRequest.Headers.Remove(credential.Key);
            proxyRequest.Headers.TryAddWithoutValidation(credential.Key, credential.Value);
        }

        // INVARIANT: the upstream receives exactly the canonical path and query that were decided on.
        proxyRequest.RequestUri = _destination;
        proxyRequest.Headers.Host = null;
    }
}
