using Mandate.Core.Decisions;
using Mandate.Core.Vault;
using Mandate.Server.Configuration;
using Mandate.Server.Forwarding;
using Mandate.Server.Identify;
using Mandate.Storage.Sqlite.Audit;
using Mandate.Storage.Sqlite.Mcp;
using Mandate.Storage.Sqlite.Vault;

namespace Mandate.Server.Hosting;

/// <summary>
/// The production composition: SQLite audit log and vault under <c>dataDir</c>, the identity
/// authenticator from <c>identity</c>, the Cedar compiler; then both planes. What <c>mandate serve</c> runs.
/// </summary>
public sealed class MandateGateway : IAsyncDisposable
{
    private readonly SqliteAuditLog _audit;
    private readonly AgentCallerAuthenticator _authenticator;
    private readonly HttpClient _identityClient;

    private MandateGateway(MandateServer server, SqliteAuditLog audit, AgentCallerAuthenticator authenticator, HttpClient identityClient)
    {
        Server = server;
        _audit = audit;
        _authenticator = authenticator;
        _identityClient = identityClient;
    }

    /// <summary>The problem <see cref="StartAsync"/> reports when its cancellation token fired during start-up.</summary>
    public const string StartCancelled = "start-up was cancelled";

    /// <summary>The running planes.</summary>
    public MandateServer Server { get; }

    /// <summary>
    /// Starts the gateway; every reason it cannot start is returned. When <paramref name="cancellationToken"/> fires
    /// during start-up (a stop signal), everything built so far is closed and <see cref="StartCancelled"/> is returned.
    /// </summary>
    public static async Task<(MandateGateway? Gateway, IReadOnlyList<string> Problems)> StartAsync(MandateConfig config, MandateServerOptions options, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        Directory.CreateDirectory(config.DataDir);
        if (config.Upstreams.Values.Any(u => u.Credential is not null) || config.Mcp.Servers.Values.Any(m => m.Credential is not null))
        {
            var key = VaultKeySource.Load(config.VaultKeyFile);
            if (!key.Ok)
            {
                return (null, [$"routes attach vaulted credentials, but the vault key is unavailable: {key.Error}"]);
            }
        }

        var identityClient = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        AgentCallerAuthenticator authenticator;
        try
        {
            authenticator = AgentCallerAuthenticator.Create(config.Identity, identityClient, time);
        }
        catch (ArgumentException e)
        {
            identityClient.Dispose();
            return (null, [$"identity: {e.Message}"]);
        }

        try
        {
            // Warm-up failures are not fatal: /readyz reports them and tokens fail closed until keys arrive.
            await authenticator.WarmUpAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            authenticator.Dispose();
            identityClient.Dispose();
            return (null, [StartCancelled]);
        }

        var audit = new SqliteAuditLog(new SqliteAuditOptions
        {
            DataDirectory = config.DataDir,
            CheckpointEvery = config.Audit.CheckpointEvery,
            CheckpointInterval = TimeSpan.FromSeconds(config.Audit.CheckpointSeconds),
        });
        var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = config.DataDir, KeyFile = config.VaultKeyFile });
        var services = new GatewayServices(
            authenticator,
            new CedarPolicyCompiler(),
            new AuditDecisionRecorder(audit, Environment.MachineName),
            new VaultUpstreamSecrets(vault),
            time)
        {
            ToolPins = new SqliteToolPinStore(new SqliteToolPinStoreOptions { DataDirectory = config.DataDir }),
        };
        StartResult started;
        try
        {
            started = await MandateServer.StartAsync(config, services, options, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while starting: the planes cleaned up after themselves; close the audit log (flushing
            // whatever was appended, e.g. the policy_loaded record) so the chain ends cleanly.
            started = new StartResult(null, [StartCancelled]);
        }

        if (started.Server is null)
        {
            await audit.DisposeAsync();
            authenticator.Dispose();
            identityClient.Dispose();
            return (null, started.Problems);
        }

        return (new MandateGateway(started.Server, audit, authenticator, identityClient), []);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _audit.DisposeAsync();
        _authenticator.Dispose();
        _identityClient.Dispose();
    }
}
