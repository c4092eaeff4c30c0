using System.Net.Http.Headers;
using System.Text;
using Mandate.Core.Audit;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Audit;
using ModelContextProtocol.Client;

namespace Mandate.Server.Tests.Mcp.Support;

/// <summary>
/// The real gateway (SQLite audit and pins, JWTs from a test issuer over HTTP, Cedar) in front of an MCP server
/// on 127.0.0.1:0: by default the official SDK's server; <see cref="Upstream"/> can replace it with another URL.
/// </summary>
public sealed class McpGatewayFixture : IAsyncDisposable
{
    private MandateGateway? _gateway;
    private SdkMcpServer? _sdkServer;

    private McpGatewayFixture()
    {
    }

    /// <summary>The deployment folder.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "mandate-mcp-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>The token issuer.</summary>
    public TestIssuer Issuer { get; private set; } = null!;

    /// <summary>The SDK MCP server, when the fixture runs one.</summary>
    public SdkMcpServer Sdk => _sdkServer ?? throw new InvalidOperationException("this fixture fronts another upstream");

    /// <summary>The running gateway.</summary>
    public MandateGateway Gateway => _gateway!;

    /// <summary>The MCP endpoint on Mandate.</summary>
    public Uri Endpoint => new(Gateway.Server.DataPlaneAddress, "/mcp/tools");

    /// <summary>A plain client that changes nothing it is given.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    /// <summary>Starts issuer, upstream (the SDK server unless <paramref name="upstream"/> is given) and gateway.</summary>
    public static async Task<McpGatewayFixture> StartAsync(bool stateful = false, Uri? upstream = null, string pinning = "deny", IReadOnlyList<string>? command = null, string? vaultedKey = null, string extraServerYaml = "", string extraPolicies = "", string extraRootYaml = "")
    {
        var f = new McpGatewayFixture();
        f.Issuer = await TestIssuer.StartAsync();
        if (upstream is null && command is null)
        {
            f._sdkServer = await SdkMcpServer.StartAsync(stateful);
            upstream = f._sdkServer.Url;
        }

        System.IO.Directory.CreateDirectory(Path.Combine(f.Directory, "policies"));
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "mandate.yaml"), McpGatewayFiles.Config(
            f.Issuer.Issuer,
            command is null ? $"url: {upstream}" : "command: [ " + string.Join(", ", command.Select(c => "\"" + c + "\"")) + " ]",
            pinning,
            (vaultedKey is null ? "" : "credential: { vault: mcp-key, header: X-Api-Key, format: \"{secret}\" }\n      ") + extraServerYaml,
            (vaultedKey is null ? "" : "vault: { keyFile: vault.key }") + extraRootYaml));
        await File.WriteAllTextAsync(Path.Combine(f.Directory, "policies", "mcp.cedar"), McpGatewayFiles.Policies + "\n" + extraPolicies);
        if (vaultedKey is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(f.Directory, "vault.key"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            var vault = new Mandate.Storage.Sqlite.Vault.SqliteSecretVault(new Mandate.Storage.Sqlite.Vault.SqliteVaultOptions { DataDirectory = Path.Combine(f.Directory, "data"), KeyFile = Path.Combine(f.Directory, "vault.key") });
            var stored = await vault.SetAsync("mcp-key", vaultedKey);
            Assert.True(stored.Ok, stored.Error?.ToString());
        }

        var loaded = MandateConfigLoader.Load(Path.Combine(f.Directory, "mandate.yaml"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
        var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, new MandateServerOptions { WatchFiles = false }, CancellationToken.None);
        Assert.True(gateway is not null, string.Join("\n", problems));
        f._gateway = gateway;
        // What the tests look at is what the client's requests caused: Mandate's start-up probe is forgotten.
        f._sdkServer?.Log.Clear();
        return f;
    }

    /// <summary>An SDK client connected through Mandate as <paramref name="agent"/>.</summary>
    public async Task<McpClient> ConnectAsync(string agent, string protocolVersion = "2025-06-18")
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Issuer.Mint(agent) },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion }, cancellationToken: timeout.Token);
    }

    /// <summary>POSTs raw JSON to the MCP endpoint as <paramref name="agent"/> (null: no credential).</summary>
    public async Task<HttpResponseMessage> PostAsync(string? agent, string json, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (agent is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Issuer.Mint(agent));
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http.SendAsync(request);
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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_sdkServer is not null)
        {
            await _sdkServer.DisposeAsync();
        }

        await Issuer.DisposeAsync();
        Http.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the temp cleaner.
        }
    }
}
