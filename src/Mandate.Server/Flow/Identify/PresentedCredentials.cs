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

    private PresentedCredentials(HttpRequest request)
    {
        _request = request;
        Authorization = request.Headers.Authorization;
        Dpop = request.Headers["DPoP"];
        ClientCertificate = request.HttpContext.Connection.ClientCertificate;
        Method = request.Method;
    }

    /// <summary>Every <c>Authorization</c> header value, as received.</summary>
    public StringValues Authorization { get; }

    /// <summary>Every <c>DPoP</c> header value, as received.</summary>
    public StringValues Dpop { get; }

    /// <summary>The mTLS client certificate, when one was presented.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>The request method a DPoP proof's <c>htm</c> must name.</summary>
    public string Method { get; }

    /// <summary>The credentials of an HTTP request (the proxy's, an MCP endpoint's, the token endpoint's).</summary>
    public static PresentedCredentials From(HttpRequest request) => new(request);

    /// <summary>The URL a DPoP proof's <c>htu</c> must name: scheme, host and path as the client addressed them, no query (RFC 9449 §4.3).</summary>
    public Uri Url()
    {
        var request = _request ?? throw new InvalidOperationException("no request");
        return new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path));
    }
}
