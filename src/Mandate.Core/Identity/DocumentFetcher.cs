using System.Net;

namespace Mandate.Core.Identity;

/// <summary>GETs small security documents (discovery, JWKS) with a timeout, a size cap and the https rule.</summary>
internal sealed class DocumentFetcher(HttpClient http, TimeSpan timeout, int maxBytes)
{
    /// <summary>True when <paramref name="url"/> may be fetched: https, or http to a loopback host when https is not required.</summary>
    public static bool IsAllowedUrl(Uri url, bool requireHttps) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttps
            || (url.Scheme == Uri.UriSchemeHttp && !requireHttps && IsLoopbackHost(url)));

    /// <summary>True for <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> only.</summary>
    public static bool IsLoopbackHost(Uri url) =>
        url.IsAbsoluteUri
        && (string.Equals(url.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(url.IdnHost, out var ip) && (ip.Equals(IPAddress.Loopback) || ip.Equals(IPAddress.IPv6Loopback))));

    /// <summary>Fetches <paramref name="url"/>; the body or a message saying why not.</summary>
    public async Task<(byte[]? Body, string? Error)> GetAsync(Uri url, bool requireHttps, CancellationToken cancellationToken)
    {
        if (!IsAllowedUrl(url, requireHttps))
        {
            return (null, $"`{url}` is not an allowed key source url (https required)");
        }
        // Wall-clock timeout on purpose: it bounds real network waits, which a test clock must not stretch or shrink.
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"`{url}` answered {(int)response.StatusCode}");
            }
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return (null, $"`{url}` is larger than {maxBytes} bytes");
            }
            await using var stream = await response.Content.ReadAsStreamAsync(timeoutSource.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeoutSource.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, $"`{url}` is larger than {maxBytes} bytes");
                }
                buffer.Write(chunk, 0, read);
            }
            return (buffer.ToArray(), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"`{url}` did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return (null, $"`{url}` could not be fetched: {ex.Message}");
        }
    }
}
