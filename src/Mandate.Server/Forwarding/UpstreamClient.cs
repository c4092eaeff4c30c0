
using System.Net;

namespace Mandate.Server.Forwarding;

/// <summary>The one HTTP client used to reach upstreams: no proxy, no redirects, no cookies, no decompression.</summary>
public sealed class UpstreamClient : IDisposable
{
    /// <summary>Creates the client.</summary>
    public UpstreamClient()
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
    }

    /// <summary>The invoker handed to YARP.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <inheritdoc />
    public void Dispose() => Invoker.Dispose();
}
