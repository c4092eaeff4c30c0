using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mandate.Core.Audit;
using Mandate.Core.OAuth;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Server.Tests.Tokens;

/// <summary>
/// The real gateway with task tokens on: an agent issuer and a user issuer serving JWKS over HTTP, a recording
/// upstream, SQLite audit and tokens.db in a temporary folder, Cedar policies that say who may act for whom.
/// </summary>
public sealed class TokenGatewayFixture : IAsyncLifetime
{
    /// <summary>The task tokens' issuer.</summary>
    public const string TaskIssuer = "https://mandate.test";

    /// <summary>The audience user tokens must carry to be exchanged here.</summary>
    public const string ExchangeAudience = "mandate-exchange";

    private MandateGateway? _gateway;

    /// <summary>The deployment folder.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "mandate-tok-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>Issues the agents' workload tokens.</summary>
    public TestIssuer Agents { get; private set; } = null!;

    /// <summary>Issues the users' access (and ID) tokens.</summary>
    public TestIssuer Users { get; private set; } = null!;

    /// <summary>The upstream.</summary>
    public RecordingUpstream Upstream { get; private set; } = null!;

    /// <summary>The running gateway.</summary>
    public MandateGateway Gateway => _gateway!;

    /// <summary>Data plane base address.</summary>
    public Uri DataPlane => Gateway.Server.DataPlaneAddress;

    /// <summary>Changes the configuration text before start (TLS, mTLS).</summary>
    public Func<string, string>? EditConfig { get; init; }

    /// <summary>Writes extra files into <see cref="Directory"/> before start (certificates, policies).</summary>
    public Func<string, Task>? PrepareFiles { get; init; }

    /// <summary>A client that changes nothing it is given.</summary>
    public HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Agents = await TestIssuer.StartAsync();
        Users = await TestIssuer.StartAsync();
        Upstream = await RecordingUpstream.StartAsync();
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "policies"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
        await File.WriteAllTextAsync(Path.Combine(Directory, "mandate.yaml"), EditConfig is null ? Config() : EditConfig(Config()));
        await File.WriteAllTextAsync(Path.Combine(Directory, "schema.cedarschema"), Schema);
        await File.WriteAllTextAsync(Path.Combine(Directory, "policies", "main.cedar"), Policies);
        await File.WriteAllTextAsync(Path.Combine(Directory, "entities.json"), GatewayFiles.Entities);
        if (PrepareFiles is not null)
        {
            await PrepareFiles(Directory);
        }

        await StartAsync();
    }

    /// <summary>Stops the gateway and starts a new one over the same folder (same tokens.db, same audit log).</summary>
    public async Task RestartAsync()
    {
        await _gateway!.DisposeAsync();
        _gateway = null;
        await StartAsync();
    }

    private async Task StartAsync()
    {
        var loaded = MandateConfigLoader.Load(Path.Combine(Directory, "mandate.yaml"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
        var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, new MandateServerOptions { WatchFiles = false }, CancellationToken.None);
        Assert.True(gateway is not null, string.Join("\n", problems));
        _gateway = gateway;
    }

    /// <summary>An agent's workload token.</summary>
    public string AgentToken(string agent) => Agents.Mint(agent, scope: "", audience: "mandate");

    /// <summary>A user's access token for the exchange audience.</summary>
    public string UserToken(string user, string scope = "tickets:read tickets:write", string audience = ExchangeAudience) =>
        Users.Mint(user, scope: scope, audience: audience);

    /// <summary>POSTs a token exchange; extra parameters are added as given (repeats allowed).</summary>
    public async Task<HttpResponseMessage> ExchangeAsync(string? actorToken, string? subjectToken, params (string Name, string Value)[] parameters) =>
        await ExchangeWithAsync(actorToken, subjectToken, null, parameters);

    /// <summary>POSTs a token exchange with an optional DPoP proof.</summary>
    public async Task<HttpResponseMessage> ExchangeWithAsync(string? actorToken, string? subjectToken, string? dpop, params (string Name, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", TokenTypeUris.TokenExchangeGrant) };
        if (actorToken is not null)
        {
            form.Add(new("actor_token", actorToken));
            form.Add(new("actor_token_type", TokenTypeUris.Jwt));
        }
        if (subjectToken is not null)
        {
            form.Add(new("subject_token", subjectToken));
            form.Add(new("subject_token_type", TokenTypeUris.AccessToken));
        }
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(DataPlane, "/oauth2/token")) { Content = new FormUrlEncodedContent(form) };
        if (dpop is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", dpop);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>Exchanges and returns the access token, asserting success.</summary>
    public async Task<string> TaskTokenAsync(string actorToken, string? subjectToken, params (string Name, string Value)[] parameters)
    {
        using var response = await ExchangeAsync(actorToken, subjectToken, parameters);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>POSTs an RFC 7009 revocation of <paramref name="token"/>, authenticated with <paramref name="client"/> when given.</summary>
    public async Task<HttpResponseMessage> RevokeAsync(string? client, string token, params (string Name, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("token", token) };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(DataPlane, "/oauth2/revoke")) { Content = new FormUrlEncodedContent(form) };
        if (client is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + client);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>A data-plane request with <c>Authorization: {scheme} {token}</c> and extra headers.</summary>
    public async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, string? token, string scheme = "Bearer", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(DataPlane, path));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>A control-plane POST with the admin token.</summary>
    public async Task<HttpResponseMessage> AdminPostAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.Server.ControlPlaneAddress, path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFiles.AdminToken);
        return await Client.SendAsync(request);
    }

    /// <summary>Every audit record so far.</summary>
    public async Task<List<AuditEntry>> AuditAsync()
    {
        // The index (audit.db) fills behind the log: wait until it holds what the log has.
        if (_gateway is not null)
        {
            await _gateway.AuditIndexCaughtUpAsync(TimeSpan.FromSeconds(10));
        }
        var reader = new SqliteAuditReader(new SqliteAuditOptions { DataDirectory = Path.Combine(Directory, "data") });
        var list = new List<AuditEntry>();
        await foreach (var e in reader.QueryAsync(new AuditQuery()))
        {
            list.Add(e);
        }
        return list;
    }

    /// <summary>A DPoP proof signed by <paramref name="key"/> for a request.</summary>
    public static string DpopProof(ECDsa key, string method, Uri url, string? accessToken = null, string? jti = null, DateTimeOffset? iat = null)
    {
        var p = key.ExportParameters(false);
        var header = new Dictionary<string, object>
        {
            ["typ"] = "dpop+jwt",
            ["alg"] = "ES256",
            ["jwk"] = new Dictionary<string, string> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) },
        };
        var claims = new Dictionary<string, object>
        {
            ["htm"] = method,
            ["htu"] = url.GetLeftPart(UriPartial.Path),
            ["iat"] = (iat ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
        };
        if (accessToken is not null)
        {
            claims["ath"] = B64(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }
        var input = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <summary>base64url without padding.</summary>
    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        await Upstream.DisposeAsync();
        await Agents.DisposeAsync();
        await Users.DisposeAsync();
        Client.Dispose();
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
          adminToken: {{GatewayFiles.AdminToken}}
        dataDir: data
        identity:
          oidc:
            - issuer: {{Agents.Issuer}}
              audiences: [mandate]
        tokens:
          issuer: {{TaskIssuer}}
          maxDepth: 2
          maxLifetimeSeconds: 1800
          audiences: [{{TaskIssuer}}, tickets-api]
          subjectIssuers:
            - issuer: {{Users.Issuer}}
              audience: {{ExchangeAudience}}
        policies:
          directory: policies
          schema: schema.cedarschema
        entities:
          file: entities.json
        agents:
          agent-a: { attributes: { trust: 9 } }
          agent-b: { attributes: { trust: 5 } }
          agent-c: { attributes: { trust: 5 } }
          agent-d: { attributes: { trust: 5 } }
          rogue-bot: { attributes: { trust: 1 } }
        mcp:
          servers:
            # Never called: only its RFC 9728 metadata is read, to check it names Mandate's own issuer.
            tools: { url: "http://127.0.0.1:9/mcp" }
        upstreams:
          tickets:
            url: {{Upstream.Url}}
          minted:
            url: {{Upstream.Url}}
            credential:
              mint: { audience: tickets-api, scopes: [tickets:read], lifetimeSeconds: 30 }
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
          - method: GET
            path: /bound/{id}
            action: read
            resource: { type: Ticket, id: "{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
            dpop: required
          - method: GET
            path: /minted/{id}
            action: read
            resource: { type: Ticket, id: "{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: minted
        """;

    private const string Schema = """
        namespace Mandate {
          type RequestFacts = { method: String, path: String, ip: ipaddr, host: String };
          type TokenFacts = { scopes: Set<String>, method: String, seconds_left: Long };
          type DelegationFacts = { user: String, chain: Set<String>, depth: Long };
          type SessionFacts = { id: String, intent: String, allowed_tools: Set<String>, resources: Set<String>, in_task: Bool, depth: Long, parent: String, started: datetime, expires: datetime };
          type ExchangeFacts = { scopes: Set<String>, audiences: Set<String>, tools: Set<String>, resources: Set<String>, intent: String, lifetime_seconds: Long, depth: Long, user: String, parent_agent: String, dpop_bound: Bool };
          type GatewayContext = { request: RequestFacts, token: TokenFacts, delegation: DelegationFacts, now: datetime, session?: SessionFacts };
          type ExchangeContext = { request: RequestFacts, token: TokenFacts, delegation: DelegationFacts, now: datetime, exchange: ExchangeFacts };
          entity Api;
          entity Ticket in [Api];
          entity User;
          entity Agent = { trust: Long };
          action read, write appliesTo { principal: [Agent], resource: [Ticket, Api], context: GatewayContext };
          action "token.exchange", delegate appliesTo { principal: [Agent], resource: [User, Agent], context: ExchangeContext };
          action "token.revoke" appliesTo { principal: [Agent], resource: [Agent], context: GatewayContext };
        }
        """;

    private const string Policies = """
        @id("read-tickets")
        permit (principal, action == Mandate::Action::"read", resource in Mandate::Api::"tickets")
        when { context.token.scopes.contains("tickets:read") };

        @id("write-tickets")
        permit (principal, action == Mandate::Action::"write", resource in Mandate::Api::"tickets")
        when { context.token.scopes.contains("tickets:write") };

        @id("may-act-for-users")
        permit (principal, action == Mandate::Action::"token.exchange", resource is Mandate::User)
        when { principal.trust >= 5 };

        @id("may-act-for-itself")
        permit (principal, action == Mandate::Action::"token.exchange", resource is Mandate::Agent)
        when { resource == principal };

        @id("may-delegate")
        permit (principal, action == Mandate::Action::"delegate", resource is Mandate::Agent)
        when { principal.trust >= 5 };

        @id("operators-revoke")
        @reason("agent-b is an operator: it may revoke any agent's task tokens")
        permit (principal == Mandate::Agent::"agent-b", action == Mandate::Action::"token.revoke", resource is Mandate::Agent);

        @id("rogue-never")
        @reason("rogue-bot may never hold a task token")
        forbid (principal == Mandate::Agent::"rogue-bot", action in [Mandate::Action::"token.exchange", Mandate::Action::"delegate"], resource);
        """;
}
