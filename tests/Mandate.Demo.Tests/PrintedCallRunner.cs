using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Mandate.Demo.Tests;

/// <summary>Sends a printed curl command over real HTTP exactly as curl with <c>--path-as-is</c> would.</summary>
internal static class PrintedCallRunner
{
    public static async Task<(HttpStatusCode Status, HttpResponseMessage Response, string Body)> SendAsync(HttpClient http, PrintedCall call)
    {
        var uri = new Uri(call.Url);
        // .NET keeps %2F escaped; guard that the request target is byte for byte what was printed.
        Assert.Equal(call.Url, uri.OriginalString);
        Assert.EndsWith(uri.PathAndQuery, call.Url, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), uri);
        string? contentType = null;
        foreach (var (name, value) in call.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else
            {
                Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"header `{name}`");
            }
        }

        if (call.Body is not null)
        {
            request.Content = new StringContent(call.Body, Encoding.UTF8);
            // curl -d sends application/x-www-form-urlencoded unless told otherwise.
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/x-www-form-urlencoded");
        }

        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response, body);
    }
}
