using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mandate.Core.Audit;
using Mandate.Core.OAuth;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Mandate.Server.Tests.Mcp.Support;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Server.Tests.Flow;

/// <summary>
/// One real gateway with every front on: an HTTP route table in front of a recording upstream, an MCP endpoint in
/// front of the official SDK's server, and the token endpoint issuing task tokens; agents' JWTs from an issuer that
/// serves its JWKS over HTTP; SQLite audit log and token store in a temporary folder. Policies permit every call the
/// table's rows make, so what refuses a call is the flow's rules, never a policy.
/// </summary>
public sealed class OneFlowFixture : IAsyncDisposable
{
    /// <summary>The task tokens' issuer.</summary>
    public const string TaskIssuer = "https://mandate.test";

    /// <summary>The declared task of the table's task tokens: the HTTP action <c>read</c> and the MCP tool <c>tools/echo</c> (as <c>mcp.tools.call:tools/echo</c>).</summary>
    public const string Task = """[{"type":"agent_task","intent":"triage","actions":["read"],"tools":["mcp.tools.call:tools/echo"]}]""";

    private MandateGateway? _gateway;
    private string _trustedProxies = "";

    private OneFlowFixture()
    {
    }

    /// <summary>The deployment folder.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "mandate-flow-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>The agents' token issuer.</summary>
    public TestIssuer Agents { get; private set; } = null!;

    /// <summary>The HTTP upstream.</summary>
    public RecordingUpstream Upstream { get; private set; } = null!;

    /// <summary>The MCP server.</summary>
    public SdkMcpServer Mcp { get; private set; } = null!;

    /// <summary>The data plane.</summary>
    public Uri DataPlane => _gateway!.Server.DataPlaneAddress;

    /// <summary>A client that changes nothing it is given.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    /// <summary>Starts everything with <c>tokens.maxDepth</c> = <paramref name="maxDepth"/>.</summary>
    public static async Task<OneFlowFixture> StartAsync(int maxDepth = 2, bool behindTrustedProxy = false)
    {
        var f = new OneFlowFixture { _trustedProxies = behindTrustedProxy ? "trustedProxies: [ 127.0.0.1 ]" : "" };
        f.Agents = await TestIssuer.StartAsync();
        f.Upstream = await RecordingUpstream.StartAsync();
        f.Mcp = await SdkMcpServer.StartAsync();
        System.IO.Directory.CreateDirectory(Path.Combine(f.Directory, "policies"));
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "mandate.yaml"), f.Config(maxDepth));
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "policies", "main.cedar"), Policies);
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "entities.json"), Entities);
        var loaded = MandateConfigLoader.Load(Path.Combine(f.Directory, "mandate.yaml"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
        var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, new MandateServerOptions { WatchFiles = false }, CancellationToken.None);
        Assert.True(gateway is not null, string.Join("\n", problems));
        f._gateway = gateway;
        return f;
    }

    /// <summary>Rewrites the configuration with another <c>tokens.maxDepth</c> and reloads it, as an operator would.</summary>
    public async Task ReloadAsync(int maxDepth)
    {
        await File.WriteAllTextAsync(Path.Combine(Directory, "mandate.yaml"), Config(maxDepth));
        var result = await _gateway!.Server.ReloadAsync(CancellationToken.None);
        Assert.True(result.Applied, string.Join("\n", result.Problems));
    }

    /// <summary>An agent's workload token; a negative <paramref name="lifetime"/> makes it expired.</summary>
    public string AgentToken(string agent, TimeSpan? lifetime = null) => Agents.Mint(agent, lifetime: lifetime);

    /// <summary>POSTs a token exchange.</summary>
    public async Task<HttpResponseMessage> ExchangeAsync(string actorToken, string? subjectToken, string task = Task, string? dpop = null, string? forwardedFor = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", TokenTypeUris.TokenExchangeGrant),
            new("actor_token", actorToken),
            new("actor_token_type", TokenTypeUris.Jwt),
            new("authorization_details", task),
        };
        if (subjectToken is not null)
        {
            form.Add(new("subject_token", subjectToken));
            form.Add(new("subject_token_type", TokenTypeUris.AccessToken));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(DataPlane, "/oauth2/token")) { Content = new FormUrlEncodedContent(form) };
        if (dpop is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", dpop);
        }

        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Exchanges and returns the access token, asserting success.</summary>
    public async Task<string> TaskTokenAsync(string actorToken, string? subjectToken, string task = Task, string? dpop = null)
    {
        using var response = await ExchangeAsync(actorToken, subjectToken, task, dpop);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>An HTTP request through the proxy front with <c>Authorization: Bearer {token}</c>.</summary>
    public async Task<HttpResponseMessage> ProxyAsync(HttpMethod method, string path, string token, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(DataPlane, path));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>One JSON-RPC message POSTed to the MCP front with <c>Authorization: Bearer {token}</c>.</summary>
    public async Task<HttpResponseMessage> McpAsync(string token, string json, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(DataPlane, "/mcp/tools")) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-06-18");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>
    /// The same call asked through Envoy's ext_authz HTTP service protocol: the original method, the original target
    /// appended to the check path, the original headers.
    /// </summary>
    public async Task<HttpResponseMessage> EnvoyCheckAsync(HttpMethod method, string target, string token)
    {
        using var request = new HttpRequestMessage(method, new Uri(DataPlane, "/envoy/check" + target));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await Http.SendAsync(request);
    }

    /// <summary>The same call asked as nginx's auth_request subrequest does: original method and URI in headers.</summary>
    public async Task<HttpResponseMessage> NginxCheckAsync(HttpMethod method, string target, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(DataPlane, "/nginx/check"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        request.Headers.TryAddWithoutValidation("X-Original-Method", method.Method);
        request.Headers.TryAddWithoutValidation("X-Original-URI", target);
        return await Http.SendAsync(request);
    }

    /// <summary>An AuthZEN evaluation by the caller of <paramref name="token"/> about <paramref name="subject"/> (an agent).</summary>
    public async Task<HttpResponseMessage> AuthZenAsync(string token, string subject, string action, string ticket)
    {
        var body = JsonSerializer.Serialize(new
        {
            subject = new { type = "agent", id = subject },
            action = new { name = action },
            resource = new { type = "ticket", id = ticket },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(DataPlane, "/access/v1/evaluation")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await Http.SendAsync(request);
    }

    /// <summary>Revokes a task token through the control plane.</summary>
    public async Task RevokeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway!.Server.ControlPlaneAddress, "/v1/revoke"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { token }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFiles.AdminToken);
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every record of <paramref name="decisionId"/>.</summary>
    public async Task<List<AuditEvent>> RecordsAsync(string decisionId)
    {
        // The index (audit.db) fills behind the log: wait until it holds what the log has.
        if (_gateway is not null)
        {
            await _gateway.AuditIndexCaughtUpAsync(TimeSpan.FromSeconds(10));
        }
        var reader = new SqliteAuditReader(new SqliteAuditOptions { DataDirectory = Path.Combine(Directory, "data") });
        var list = new List<AuditEvent>();
        await foreach (var e in reader.QueryAsync(new AuditQuery()))
        {
            if (e.Event.DecisionId == decisionId)
            {
                list.Add(e.Event);
            }
        }

        return list;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Mcp.DisposeAsync();
        await Upstream.DisposeAsync();
        await Agents.DisposeAsync();
        Http.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }

    private string Config(int maxDepth) => $$"""
        dataPlane:
          listen: 127.0.0.1:0
        controlPlane:
          listen: 127.0.0.1:0
          adminToken: {{GatewayFiles.AdminToken}}
        dataDir: data
        {{_trustedProxies}}
        identity:
          oidc:
            - issuer: {{Agents.Issuer}}
              audiences: [mandate]
        tokens:
          issuer: {{TaskIssuer}}
          maxDepth: {{maxDepth}}
          audiences: [{{TaskIssuer}}]
        policies:
          directory: policies
        entities:
          file: entities.json
        decisionApis:
          authzen:
            types: { agent: Agent, ticket: Ticket }
            clients:
              - { name: agent-a, agent: agent-a, subjects: [ "agent:agent-*" ] }
              - { name: agent-b, agent: agent-b, subjects: [ "agent:agent-*" ] }
              - { name: agent-c, agent: agent-c, subjects: [ "agent:agent-*" ] }
          envoy: { path: /envoy/check, peers: [ 127.0.0.1 ] }
          nginx: { path: /nginx/check, peers: [ 127.0.0.1 ] }
        agents:
          agent-a: {}
          agent-b: {}
          agent-c: {}
          agent-d: {}
        mcp:
          servers:
            tools: { url: "{{Mcp.Url}}", pinning: off }
        upstreams:
          tickets:
            url: {{Upstream.Url}}
        routes:
          - method: GET
            path: /tickets/{id}
            action: read
            resource: { type: Ticket, id: "{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
          - method: DELETE
            path: /tickets/{id}
            action: write
            resource: { type: Ticket, id: "{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
        """;

    // The ticket the table's calls name, under the API the tickets policy names (the routes give it the same parent).
    private const string Entities = """
        [ { "uid": { "type": "Mandate::Ticket", "id": "1" }, "attrs": {}, "parents": [ { "type": "Mandate::Api", "id": "tickets" } ] } ]
        """;

    // Everything the rows do is permitted: a refusal in the table comes from the flow's own rules.
    private const string Policies = """
        @id("tickets")
        permit (principal, action in [Mandate::Action::"read", Mandate::Action::"write"], resource in Mandate::Api::"tickets");

        @id("mcp-lists")
        permit (principal, action == Mandate::Action::"mcp.tools.list", resource == Mandate::McpServer::"tools");

        @id("mcp-tools")
        permit (principal, action == Mandate::Action::"mcp.tools.call", resource in Mandate::McpServer::"tools");

        @id("exchange")
        permit (principal, action in [Mandate::Action::"token.exchange", Mandate::Action::"delegate"], resource);
        """;
}
