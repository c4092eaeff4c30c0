using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Mandate.Server.Forwarding;

/// <summary>
/// Shapes the forwarded request: the exact canonical path and query that were authorized (never the
/// raw target), only the agent headers the route forwards (an allowlist: no agent credential, no forwarding,
/// URL, path or method claims), Mandate's own <c>X-Forwarded-*</c>, and the upstream credential when the route has
/// one. One instance per request.
/// </summary>
public sealed class GatewayTransformer : HttpTransformer
{
    private readonly Uri _destination;
    private readonly string _clientIp;
    private readonly KeyValuePair<string, string>? _credential;
    private readonly IReadOnlySet<string> _forwarded;

    /// <summary>Creates the transformer for one request.</summary>
    /// <param name="destination">The full upstream URL: upstream base + canonical path + query.</param>
    /// <param name="clientIp">The client address Mandate determined.</param>
    /// <param name="credential">Header name and value of the upstream credential, if any.</param>
    /// <param name="forwarded">The agent headers the route forwards (<c>RouteConfig.ForwardedHeaders</c>).</param>
    public GatewayTransformer(Uri destination, string clientIp, KeyValuePair<string, string>? credential, IReadOnlySet<string> forwarded)
    {
        _destination = destination;
        _clientIp = clientIp;
        _credential = credential;
        _forwarded = forwarded;
    }

    /// <summary>
    /// The span the upstream request continues, while tracing is on: its W3C <c>traceparent</c> (and <c>tracestate</c>)
    /// replace whatever the agent sent. Null: trace context headers are forwarded as the route's allowlist says.
    /// </summary>
    public System.Diagnostics.Activity? Trace { get; init; }

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
        // Drop what must never reach the upstream from the incoming headers before YARP copies them: the agent's token is
        // then never copied into the upstream request (nor parsed there by HttpClient's typed headers) at all.
        var connectionListed = ConnectionListed(httpContext.Request.Headers);
        RemoveUnforwarded(httpContext.Request.Headers, connectionListed, _forwarded);
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // Belt and braces: nothing that reached the upstream request by another way keeps a stripped name. Enumerated
        // without validation, so no header value is parsed.
        RemoveUnforwarded(proxyRequest.Headers, connectionListed, _forwarded);
        if (proxyRequest.Content is not null)
        {
            RemoveUnforwarded(proxyRequest.Content.Headers, connectionListed, _forwarded);
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

        if (Trace is { } trace)
        {
            UpstreamSpans.Inject(trace, proxyRequest.Headers);
        }

        // INVARIANT: the upstream receives exactly the canonical path and query that were decided on.
        proxyRequest.RequestUri = _destination;
        proxyRequest.Headers.Host = null;
    }

    /// <summary>Header names listed in <c>Connection</c>: hop-by-hop for this request too (RFC 9110 §7.6.1). Kestrel
    /// (HTTP/1.1) keeps only <c>close</c>/<c>keep-alive</c> of the request's Connection header, so today this finds
    /// nothing there; it stays for servers and versions that pass the tokens on.</summary>
    private static HashSet<string>? ConnectionListed(IHeaderDictionary headers)
    {
        var values = headers.Connection;
        if (values.Count == 0)
        {
            return null;
        }

        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                listed.Add(name);
            }
        }

        return listed;
    }

    private static bool IsUnforwarded(string name, HashSet<string>? connectionListed, IReadOnlySet<string> forwarded) =>
        !ForwardingHeaders.IsForwarded(name, forwarded) || (connectionListed?.Contains(name) ?? false);

    private static void RemoveUnforwarded(IHeaderDictionary headers, HashSet<string>? connectionListed, IReadOnlySet<string> forwarded)
    {
        // Names are collected first (a dictionary cannot change under its enumerator) into a per-thread list: nearly
        // every request carries an Authorization header, so a fresh list would be one more allocation per request.
        var doomed = t_doomed ??= new List<string>(8);
        foreach (var header in headers)
        {
            // Host stays on the incoming request (Mandate reads it for X-Forwarded-Host); YARP never copies it, and the
            // upstream request's Host is cleared below so the destination's authority is sent.
            if (!string.Equals(header.Key, "Host", StringComparison.OrdinalIgnoreCase) && IsUnforwarded(header.Key, connectionListed, forwarded))
            {
                doomed.Add(header.Key);
            }
        }

        foreach (var name in doomed)
        {
            headers.Remove(name);
        }

        doomed.Clear();
    }

    [ThreadStatic]
    private static List<string>? t_doomed;

    private static void RemoveUnforwarded(HttpHeaders headers, HashSet<string>? connectionListed, IReadOnlySet<string> forwarded)
    {
        List<string>? doomed = null;
        foreach (var header in headers.NonValidated)
        {
            if (IsUnforwarded(header.Key, connectionListed, forwarded))
            {
                (doomed ??= []).Add(header.Key);
            }
        }

        foreach (var name in doomed ?? [])
        {
            headers.Remove(name);
        }
    }
}
