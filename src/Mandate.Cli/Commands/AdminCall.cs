using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Mandate.Cli.Commands;

/// <summary>
/// One request to a running gateway's control plane with a bearer token read from a file — what `revoke`, `approvals`,
/// `mcp schema` and `policy shadow` send. Problems are said on stderr and become the exit code: 2 for bad arguments
/// (the url, the token file), 1 for a refusal or an unreachable gateway.
/// </summary>
internal static class AdminCall
{
    /// <summary>The answer's JSON, or null with the exit code after saying why.</summary>
    public static async Task<(JsonElement? Answer, int Code)> SendAsync(
        TextWriter error, string? adminUrl, string tokenFile, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        if (!Uri.TryCreate(adminUrl, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != "http" && baseUrl.Scheme != "https"))
        {
            await error.WriteLineAsync("error: --admin-url must be an absolute http(s) url");
            return (null, 2);
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(Path.GetFullPath(tokenFile), ct)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot read the token file: {e.Message}");
            return (null, 2);
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"error: the gateway refused ({(int)response.StatusCode}): {text}");
                return (null, 1);
            }

            using var json = JsonDocument.Parse(text);
            return (json.RootElement.Clone(), 0);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            await error.WriteLineAsync($"error: cannot reach the control plane: {e.Message}");
            return (null, 1);
        }
    }
}
