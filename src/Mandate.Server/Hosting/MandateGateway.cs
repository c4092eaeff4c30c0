using Mandate.Core.Audit.Segments;
using Mandate.Core.Decisions;
using Mandate.Core.Vault;
using Mandate.Server.Configuration;
using Mandate.Server.Forwarding;
using Mandate.Server.Flow.Identify;
using Mandate.Storage.Sqlite.Audit;
using Mandate.Storage.Sqlite.Mcp;
using Mandate.Storage.Sqlite.Vault;
using Mandate.Storage.Sqlite.Tokens;
using Mandate.Storage.Sqlite.Sessions;
using Mandate.Storage.Sqlite.Approvals;
using Mandate.Core.Tokens;
using Mandate.Server.TaskTokens;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Hosting;

/// <summary>
/// The production composition: the audit segment log (with its SQLite index) and the vault under <c>dataDir</c>, the identity
/// authenticator from <c>identity</c>, the Cedar compiler; then both planes. What <c>mandate serve</c> runs.
/// </summary>
public sealed class MandateGateway : IAsyncDisposable
{
    private readonly IndexedAuditLog _audit;
    private readonly ILoggerFactory _storeLogs;
    private readonly AgentCallerAuthenticator _authenticator;
    private readonly HttpClient _identityClient;
    private readonly VaultSecretCache _secrets;

    private MandateGateway(MandateServer server, IndexedAuditLog audit, VaultSecretCache secrets, ILoggerFactory storeLogs, AgentCallerAuthenticator authenticator, HttpClient identityClient)
    {
        Server = server;
        _audit = audit;
        _secrets = secrets;
        _storeLogs = storeLogs;
        _authenticator = authenticator;
        _identityClient = identityClient;
    }

    /// <summary>The problem <see cref="StartAsync"/> reports when its cancellation token fired during start-up.</summary>
    public const string StartCancelled = "start-up was cancelled";

    private TokenServices? _tokens;
    private SqliteTaskTokenStore? _tokenStore;
    private SqliteSessionStore? _sessionStore;
    private SqliteApprovalStore? _approvalStore;

    /// <summary>Task tokens, when the <c>tokens</c> section is configured.</summary>
    public TokenServices? Tokens => _tokens;

    /// <summary>Waits until the audit index (<c>audit.db</c>) holds every record the log had when called; false after
    /// <paramref name="timeout"/>. The index fills behind the log; tests and tools that read <c>audit.db</c> directly
    /// wait here first.</summary>
    public Task<bool> AuditIndexCaughtUpAsync(TimeSpan timeout) => _audit.Index.CaughtUpAsync(timeout);

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
        if (config.Upstreams.Values.Any(u => u.Credential is { Mint: null }) || config.Mcp.Servers.Values.Any(m => m.Credential is not null))
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

        // The stores' background work (WAL and signed checkpoints) has no request to report to, so it logs; this
        // factory lives until the audit log has closed, after the planes.
        var storeLogs = LoggerFactory.Create(b => options.Logging?.Invoke(b));
        var audit = new IndexedAuditLog(new SegmentLogOptions
        {
            DataDirectory = config.DataDir,
            Node = Environment.MachineName,
            DefaultDurability = config.Audit.Durability,
            SyncInterval = config.Audit.SyncInterval,
            SegmentBytes = config.Audit.SegmentBytes,
            CheckpointEvery = config.Audit.CheckpointEvery,
            CheckpointInterval = TimeSpan.FromSeconds(config.Audit.CheckpointSeconds),
        }, storeLogs.CreateLogger("Mandate.Audit"));
        var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = config.DataDir, KeyFile = config.VaultKeyFile });
        var secrets = new VaultSecretCache(vault, options.VaultSecrets, time, storeLogs.CreateLogger("Mandate.Vault"));
        SqliteTaskTokenStore? tokenStore = null;
        TokenServices? tokens = null;
        if (config.Tokens is { } tokensConfig)
        {
            try
            {
                tokenStore = new SqliteTaskTokenStore(new SqliteTaskTokenStoreOptions { DataDirectory = config.DataDir });
                tokens = await TokenServices.CreateAsync(tokensConfig, tokenStore, identityClient, time, cancellationToken);
            }
            catch (Exception e) when (e is ArgumentException or TaskTokenStoreException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                if (tokenStore is not null)
                {
                    await tokenStore.DisposeAsync();
                }

                await audit.DisposeAsync();
                await secrets.DisposeAsync();
                storeLogs.Dispose();
                authenticator.Dispose();
                identityClient.Dispose();
                return (null, [$"tokens: {e.Message}"]);
            }
        }

        var sessionStore = new SqliteSessionStore(new SqliteSessionStoreOptions { DataDirectory = config.DataDir });
        var approvalStore = new SqliteApprovalStore(config.DataDir);
        var services = new GatewayServices(
            authenticator,
            new CedarPolicyCompiler(),
            new AuditDecisionRecorder(audit, Environment.MachineName),
            secrets,
            time)
        {
            ToolPins = new SqliteToolPinStore(new SqliteToolPinStoreOptions { DataDirectory = config.DataDir }),
            Tokens = tokens,
            Sessions = sessionStore,
            Approvals = approvalStore,
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
            if (tokens is not null)
            {
                await tokens.DisposeAsync();
            }

            if (tokenStore is not null)
            {
                await tokenStore.DisposeAsync();
            }

            await audit.DisposeAsync();
            await secrets.DisposeAsync();
            await sessionStore.DisposeAsync();
            await approvalStore.DisposeAsync();
            storeLogs.Dispose();
            authenticator.Dispose();
            identityClient.Dispose();
            return (null, started.Problems);
        }

        return (new MandateGateway(started.Server, audit, secrets, storeLogs, authenticator, identityClient)
        {
            _tokens = tokens, _tokenStore = tokenStore, _sessionStore = sessionStore, _approvalStore = approvalStore,
        }, []);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_tokens is not null)
        {
            await _tokens.DisposeAsync();
        }

        if (_tokenStore is not null)
        {
            await _tokenStore.DisposeAsync();
        }

        if (_sessionStore is not null)
        {
            await _sessionStore.DisposeAsync();
        }

        if (_approvalStore is not null)
        {
            await _approvalStore.DisposeAsync();
        }

        await _audit.DisposeAsync();
        // After the planes: no request can ask for a secret any more.
        await _secrets.DisposeAsync();
        _storeLogs.Dispose();
        _authenticator.Dispose();
        _identityClient.Dispose();
    }
}
