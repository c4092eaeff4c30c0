using System.Net;
using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Forwarding;
using Mandate.Server.Hosting;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Audit;
using Mandate.Storage.Sqlite.Vault;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>When the audit log cannot record a decision, the answer is 503 and nothing is forwarded.</summary>
public sealed class AuditUnavailableTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-audit-down-" + Guid.NewGuid().ToString("N")[..10]);
    private TestIssuer _issuer = null!;
    private RecordingUpstream _upstream = null!;
    private SqliteAuditLog _audit = null!;
    private VaultSecretCache _secrets = null!;
    private MandateServer _server = null!;
    private HttpClient _client = null!;
    private HttpClient _identityClient = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync();
        _upstream = await RecordingUpstream.StartAsync();
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "mandate.yaml"), GatewayFiles.Config(_issuer.Issuer, _upstream.Url));
        await File.WriteAllTextAsync(Path.Combine(_dir, "schema.cedarschema"), GatewayFiles.Schema);
        await File.WriteAllTextAsync(Path.Combine(_dir, "policies", "main.cedar"), GatewayFiles.Policies);
        await File.WriteAllTextAsync(Path.Combine(_dir, "entities.json"), GatewayFiles.Entities);
        await File.WriteAllTextAsync(Path.Combine(_dir, "vault.key"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var config = MandateConfigLoader.Load(Path.Combine(_dir, "mandate.yaml")).Config!;
        Directory.CreateDirectory(config.DataDir);

        _identityClient = new HttpClient();
        var authenticator = AgentCallerAuthenticator.Create(config.Identity, _identityClient, TimeProvider.System);
        _audit = new SqliteAuditLog(new SqliteAuditOptions { DataDirectory = config.DataDir });
        _secrets = new VaultSecretCache(new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = config.DataDir, KeyFile = config.VaultKeyFile }), new VaultSecretCacheOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var services = new GatewayServices(
            authenticator,
            new CedarPolicyCompiler(),
            new AuditDecisionRecorder(_audit, "test"),
            _secrets,
            TimeProvider.System);
        var started = await MandateServer.StartAsync(config, services, new MandateServerOptions { WatchFiles = false }, CancellationToken.None);
        _server = started.Server ?? throw new InvalidOperationException(string.Join("\n", started.Problems));
        _client = new HttpClient { BaseAddress = _server.DataPlaneAddress };
    }

    [Fact]
    public async Task Get_AuditLogClosed_Returns503AndForwardsNothing()
    {
        var token = _issuer.Mint("reader-bot");
        using (var before = await Send("/tickets/1", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        _upstream.Clear();
        await _audit.DisposeAsync();

        using var after = await Send("/tickets/1", token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.Contains("audit.unavailable", await after.Content.ReadAsStringAsync());
        Assert.Empty(_upstream.Received);

        using var ready = await _client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    private async Task<HttpResponseMessage> Send(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await _client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _audit.DisposeAsync();
        await _secrets.DisposeAsync();
        await _upstream.DisposeAsync();
        await _issuer.DisposeAsync();
        _client.Dispose();
        _identityClient.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}
