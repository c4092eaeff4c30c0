using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace Mandate.Server.Flow.Identify;

/// <summary>
/// What a request presents to prove who calls, as a front reads it off its protocol: the <c>Authorization</c> and
/// <c>DPoP</c> header values exactly as received, the mTLS client certificate, and the method and URL a DPoP proof
/// must name. A struct over references the request already holds: reading it allocates nothing.
/// </summary>
public readonly struct PresentedCredentials
{
    private readonly HttpRequest? _request;
    private readonly Uri? _url;

    private PresentedCredentials(HttpRequest request, string method, Uri? url)
    {
        _request = request;
        _url = url;
        Authorization = request.Headers.Authorization;
        Dpop = request.Headers["DPoP"];
        ClientCertificate = request.HttpContext.Connection.ClientCertificate;
        Method = method;
    }

    /// <summary>Every <c>Authorization</c> header value, as received.</summary>
    public StringValues Authorization { get; }

    /// <summary>Every <c>DPoP</c> header value, as received.</summary>
    public StringValues Dpop { get; }

    /// <summary>The mTLS client certificate, when one was presented.</summary>
    public X509Certificate2? ClientCertificate { get; private init; }

    /// <summary>The request method a DPoP proof's <c>htm</c> must name.</summary>
    public string Method { get; }

    /// <summary>The credentials of an HTTP request (the proxy's, an MCP endpoint's, the token endpoint's).</summary>
    public static PresentedCredentials From(HttpRequest request) => new(request, request.Method, null);

    /// <summary>
    /// The credentials of a request a trusted proxy asks about (Envoy ext_authz, nginx auth_request): its headers, and
    /// the original <paramref name="method"/> and <paramref name="url"/> a DPoP proof must name. The client certificate
    /// is the proxy's connection's, so none is taken.
    /// </summary>
    public static PresentedCredentials ForOriginal(HttpRequest request, string method, Uri url) => new(request, method, url) { ClientCertificate = null };

    /// <summary>The URL a DPoP proof's <c>htu</c> must name: scheme, host and path as the client addressed them, no query (RFC 9449 §4.3).</summary>
    public Uri Url()
    {
        if (_url is not null)
        {
            return _url;
        }

        var request = _request ?? throw new InvalidOperationException("no request");
        return new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path));
    }
}
