using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mandate.Cli;
using Mandate.Core.Audit;
using Mandate.Core.OAuth;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Mandate.Server.Tests.Mcp.Support;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Server.Tests.StepUp;

/// <summary>
/// A real gateway with step-up approvals and session rules on, over real sockets: HTTP routes to a recording upstream
/// (transfers that need approval above 50, documents labelled <c>pii</c>, mail labelled <c>egress</c>, notes with a
/// write budget, a rate-limited ping), a stateful MCP server of the official SDK (tools labelled the same way), task
/// tokens, two approvers with their own tokens, and a webhook receiver. State in SQLite under a temporary folder; the
/// gateway can be restarted over it.
/// </summary>
public sealed class StepUpFixture : IAsyncDisposable
{
    /// <summary>The task tokens' issuer.</summary>
    public const string TaskIssuer = "https://mandate.test";

    /// <summary>The API key of the AuthZEN client <c>vault-pep</c> (may ask about any user).</summary>
    public const string PepKey = "mk_vault_pep_0123456789abcdef012345";

    /// <summary>The webhook's HMAC key.</summary>
    public const string WebhookSecret = "webhook-secret-0123456789abcdef";

    private MandateGateway? _gateway;

    private StepUpFixture()
    {
    }

    /// <summary>The deployment folder.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "mandate-stepup-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>The agents' token issuer.</summary>
    public TestIssuer Agents { get; private set; } = null!;

    /// <summary>The HTTP upstream.</summary>
    public RecordingUpstream Upstream { get; private set; } = null!;

    /// <summary>The webhook receiver.</summary>
    public RecordingUpstream Webhook { get; private set; } = null!;

    /// <summary>The MCP server.</summary>
    public SdkMcpServer Mcp { get; private set; } = null!;

    /// <summary>The data plane.</summary>
    public Uri DataPlane => _gateway!.Server.DataPlaneAddress;

    /// <summary>The control plane.</summary>
    public Uri ControlPlane => _gateway!.Server.ControlPlaneAddress;

    /// <summary>A client that changes nothing it is given.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    /// <summary>Starts everything.</summary>
    public static async Task<StepUpFixture> StartAsync()
    {
        var f = new StepUpFixture();
        f.Agents = await TestIssuer.StartAsync();
        f.Upstream = await RecordingUpstream.StartAsync();
        f.Webhook = await RecordingUpstream.StartAsync();
        f.Mcp = await SdkMcpServer.StartAsync(stateful: true);
        System.IO.Directory.CreateDirectory(Path.Combine(f.Directory, "policies"));
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "alice.token"), "alice-approver-token-0123456789");
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "bob.token"), "bob-approver-token-0123456789ab");
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "webhook.secret"), WebhookSecret);
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "admin.token"), GatewayFiles.AdminToken);
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "mandate.yaml"), f.Config());
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "policies", "main.cedar"), Policies);

        // The examples the docs ship are the policies under test.
        foreach (var example in (string[])["step-up.cedar", "session-rules.cedar"])
        {
            File.Copy(Path.Combine(RepositoryRoot(), "examples", "policies", example), Path.Combine(f.Directory, "policies", example));
        }
        await f.StartGatewayAsync();
        return f;
    }

    /// <summary>Stops the gateway and starts a new one over the same folder (same sessions.db, approvals.db, audit log).</summary>
    public async Task RestartAsync()
    {
        await _gateway!.DisposeAsync();
        _gateway = null;
        await StartGatewayAsync();
    }

    private async Task StartGatewayAsync()
    {
        var loaded = MandateConfigLoader.Load(Path.Combine(Directory, "mandate.yaml"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
        var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, new MandateServerOptions { WatchFiles = false }, CancellationToken.None);
        Assert.True(gateway is not null, string.Join("\n", problems));
        _gateway = gateway;
    }

    /// <summary>An agent's workload token; with <paramref name="user"/>, acting for that user (RFC 8693 <c>act</c>).</summary>
    public string AgentToken(string agent, string? user = null) => user is null
        ? Agents.Mint(agent)
        : Agents.Mint(user, extraClaims: new Dictionary<string, object> { ["act"] = new Dictionary<string, string> { ["sub"] = agent } });

    /// <summary>A task token for <paramref name="agent"/> opened for itself (no subject) or delegated from <paramref name="parent"/>.</summary>
    public async Task<string> TaskTokenAsync(string agent, string? parent = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", TokenTypeUris.TokenExchangeGrant),
            new("actor_token", Agents.Mint(agent)),
            new("actor_token_type", TokenTypeUris.Jwt),
        };
        if (parent is not null)
        {
            form.Add(new("subject_token", parent));
            form.Add(new("subject_token_type", TokenTypeUris.AccessToken));
        }

        using var response = await Http.PostAsync(new Uri(DataPlane, "/oauth2/token"), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A request on the data plane with <c>Authorization: Bearer {token}</c>, an optional JSON body and approval.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? json = null, string? approval = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(DataPlane, path));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (approval is not null)
        {
            request.Headers.TryAddWithoutValidation("Mandate-Approval", approval);
        }

        if (json is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request, cancellationToken);
    }

    /// <summary>One JSON-RPC <c>tools/call</c> POSTed to the MCP front (stateless use of a stateful server is not allowed, so it opens a session first).</summary>
    public async Task<JsonElement> McpCallAsync(string token, string tool, object arguments)
    {
        var session = await McpInitializeAsync(token);
        var json = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 2, method = "tools/call", @params = new { name = tool, arguments } });
        using var response = await McpPostAsync(token, json, session);
        return await JsonRpcAsync(response);
    }

    private async Task<string> McpInitializeAsync(string token)
    {
        const string init = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";
        using var response = await McpPostAsync(token, init, null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var session = response.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await McpPostAsync(token, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", session);
        return session;
    }

    private async Task<HttpResponseMessage> McpPostAsync(string token, string json, string? session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(DataPlane, "/mcp/tools")) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-06-18");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (session is not null)
        {
            request.Headers.TryAddWithoutValidation("Mcp-Session-Id", session);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>The JSON-RPC answer of a response (a JSON body, or the last event of an event stream).</summary>
    public static async Task<JsonElement> JsonRpcAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            text = text.Split('\n').Last(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Runs <c>mandate approvals …</c> against the control plane with <paramref name="approver"/>'s token file.</summary>
    public async Task<(int Code, string Output, string Error)> ApprovalsCliAsync(string approver, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["approvals", .. args, "--admin-url", ControlPlane.ToString(), "--token-file", Path.Combine(Directory, approver + ".token")], output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Every audit record so far.</summary>
    public async Task<List<AuditEvent>> AuditAsync()
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
            list.Add(e.Event);
        }

        return list;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mandate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the tests run from a checkout: no Mandate.slnx above " + AppContext.BaseDirectory);
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
        await Webhook.DisposeAsync();
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

    private string Config() => $$"""
        dataPlane:
          listen: 127.0.0.1:0
        controlPlane:
          listen: 127.0.0.1:0
          adminTokenFile: admin.token
        dataDir: data
        identity:
          oidc:
            - issuer: {{Agents.Issuer}}
              audiences: [mandate]
        tokens:
          issuer: {{TaskIssuer}}
          audiences: [{{TaskIssuer}}]
        approvals:
          expirySeconds: 600
          webhook: { url: "{{Webhook.Url}}hooks/approvals", secretFile: webhook.secret }
          approvers:
            - { id: alice, tokenFile: alice.token }
            - { id: bob, tokenFile: bob.token }
        policies:
          directory: policies
        decisionApis:
          authzen:
            types: { user: User, vault: Vault }
            clients:
              - { name: vault-pep, apiKeySha256: {{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(PepKey)))}}, subjects: ["user:*"] }
          envoy:
            peers: [127.0.0.1]
          nginx:
            peers: [127.0.0.1]
        mcp:
          servers:
            tools:
              url: "{{Mcp.Url}}"
              pinning: off
              tools:
                echo: { labels: [pii], write: false }
                delete_all: { labels: [egress] }
        upstreams:
          api:
            url: {{Upstream.Url}}
        routes:
          - { method: POST, path: /transfers, action: transfer, args: json, resource: { type: Account, id: main }, upstream: api }
          - { method: POST, path: /transfers-held, action: transfer, args: json, resource: { type: Account, id: main }, upstream: api, approval: { waitSeconds: 20 } }
          - { method: POST, path: /transfers-brief, action: transfer, args: json, resource: { type: Account, id: main }, upstream: api, approval: { expirySeconds: 1 } }
          - { method: POST, path: /transfers-raw, action: transfer, resource: { type: Account, id: main }, upstream: api }
          - { method: GET, path: "/documents/{id}", action: documents.read, resource: { type: Document, id: "{id}" }, upstream: api, labels: [pii] }
          - { method: POST, path: /mail, action: mail.send, args: json, resource: { type: Mailbox, id: out }, upstream: api, labels: [egress] }
          - { method: POST, path: /notes, action: notes.write, args: json, resource: { type: Notebook, id: main }, upstream: api }
          - { method: GET, path: /ping, action: ping, resource: { type: Api, id: ping }, upstream: api }
          - { method: GET, path: "/vaults/{id}", action: vault.open, resource: { type: Vault, id: "{id}" }, upstream: api }
        """;

    private const string Policies = """
        @id("api")
        permit (principal, action in [Mandate::Action::"transfer", Mandate::Action::"documents.read", Mandate::Action::"mail.send", Mandate::Action::"notes.write", Mandate::Action::"ping", Mandate::Action::"vault.open"], resource);

        @id("vaults-need-approval")
        @step_up("approval")
        @reason("opening a vault needs a person's approval")
        forbid (principal, action == Mandate::Action::"vault.open", resource)
        unless { context.approval.granted };

        @id("tasks")
        permit (principal, action in [Mandate::Action::"token.exchange", Mandate::Action::"delegate"], resource);

        @id("mcp")
        permit (principal, action in [Mandate::Action::"mcp.tools.call", Mandate::Action::"mcp.tools.list"], resource);
        """;
}
