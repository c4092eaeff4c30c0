using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Core.Mcp;
using Mandate.Server.Configuration;
using Mandate.Server.Forwarding;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Requests Mandate itself sends to an upstream MCP server (the era probe, the <c>initialize</c> of a session it holds
/// for a modern client): with the server's own credential, never a client's; the one JSON-RPC response read from a
/// JSON body or an event stream.
/// </summary>
public sealed class McpUpstreamRequests
{
    private const int MaxAnswerBytes = 4 * 1024 * 1024;
    private readonly McpUpstreamClient _client;
    private readonly IUpstreamSecrets _secrets;

    /// <summary>Creates the sender.</summary>
    public McpUpstreamRequests(McpUpstreamClient client, IUpstreamSecrets secrets)
    {
        _client = client;
        _secrets = secrets;
    }

    /// <summary>What came back: the HTTP status, the session id the server issued (if any), and the response message (null when none could be read).</summary>
    /// <param name="Status">HTTP status.</param>
    /// <param name="SessionId">The <c>Mcp-Session-Id</c> the server answered with.</param>
    /// <param name="Message">The JSON-RPC response with the request's id.</param>
    public sealed record Answer(int Status, string? SessionId, JsonElement? Message)
    {
        /// <summary>The response's <c>result</c> object, when it has one.</summary>
        public JsonElement? Result => Message is { } m && m.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object ? r : null;
    }

    /// <summary>Sends <paramref name="message"/> (a request or notification) and reads its answer.</summary>
    public async Task<Answer> SendAsync(McpServerConfig server, JsonObject message, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (!await AddCredentialAsync(server, request, cancellationToken))
        {
            return new Answer(0, null, null);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(server.Timeout);
        using var response = await _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        var sessionId = response.Headers.TryGetValues(McpHeaders.SessionId, out var ids) ? ids.FirstOrDefault() : null;
        var id = message["id"]?.ToJsonString();
        if (id is null)
        {
            return new Answer((int)response.StatusCode, sessionId, null);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            await foreach (var e in SseEventReader.ReadAsync(stream, MaxAnswerBytes, deadline.Token))
            {
                if (e.Data is { } data && Parse(data) is { } m && IsAnswerTo(m, id))
                {
                    return new Answer((int)response.StatusCode, sessionId, m);
                }
            }

            return new Answer((int)response.StatusCode, sessionId, null);
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, deadline.Token);
        var single = buffer.Length <= MaxAnswerBytes ? Parse(System.Text.Encoding.UTF8.GetString(buffer.ToArray())) : null;
        return new Answer((int)response.StatusCode, sessionId, single is { } s && IsAnswerTo(s, id) ? s : null);
    }

    /// <summary>Ends a session Mandate opened (DELETE), best effort.</summary>
    public async Task EndSessionAsync(McpServerConfig server, string sessionId, string version, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, server.Url);
        request.Headers.TryAddWithoutValidation(McpHeaders.SessionId, sessionId);
        request.Headers.TryAddWithoutValidation(McpHeaders.ProtocolVersion, version);
        if (await AddCredentialAsync(server, request, cancellationToken))
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(server.Timeout);
            using var _ = await _client.Http.SendAsync(request, deadline.Token);
        }
    }

    /// <summary>The <c>_meta</c> Mandate's own modern requests carry: its identity and no client capabilities.</summary>
    public static JsonObject MandateMeta() => new()
    {
        [McpMetaKeys.ProtocolVersion] = McpProtocolVersions.V20260728,
        [McpMetaKeys.ClientInfo] = new JsonObject { ["name"] = "mandate", ["version"] = typeof(McpUpstreamRequests).Assembly.GetName().Version?.ToString(3) ?? "0" },
        [McpMetaKeys.ClientCapabilities] = new JsonObject(),
    };

    private async Task<bool> AddCredentialAsync(McpServerConfig server, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (server.Credential is not { } c)
        {
            return true;
        }

        var secret = await _secrets.GetAsync(c.VaultName, cancellationToken);
        if (secret.Value is null)
        {
            return false;
        }

        request.Headers.TryAddWithoutValidation(c.Header, c.Format.Replace("{secret}", secret.Value, StringComparison.Ordinal));
        return true;
    }

    private static JsonElement? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 128 });
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsAnswerTo(JsonElement message, string id) =>
        message.TryGetProperty("id", out var got) && got.GetRawText() == id && (message.TryGetProperty("result", out _) || message.TryGetProperty("error", out _));
}
