using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Forwarding;
using Mandate.Server.Telemetry;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Snapshots;

/// <summary>
/// Rebuilds the snapshot when the configuration file, the policy folder, the schema or the entities
/// file change (file events debounced), or when asked (<c>POST /v1/reload</c>). A set that does not
/// build is refused, logged and audited (<c>policy_refused</c>); the old snapshot keeps serving.
/// Listeners, TLS, identity, data directory and control plane are read once at start-up: a change
/// there is logged as needing a restart and the running values are kept. The vaulted secrets the new configuration
/// names are loaded (<see cref="IUpstreamSecrets.LoadAsync"/>) before it is swapped in.
/// </summary>
public sealed class SnapshotReloader : IAsyncDisposable
{
    private readonly SnapshotHolder _holder;
    private readonly SnapshotBuilder _builder;
    private readonly IDecisionRecorder _recorder;
    private readonly IUpstreamSecrets _secrets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _debounce;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly object _timerLock = new();
    private ITimer? _timer;

    /// <summary>Creates a reloader (not yet watching).</summary>
    public SnapshotReloader(SnapshotHolder holder, SnapshotBuilder builder, IDecisionRecorder recorder, IUpstreamSecrets secrets, TimeProvider time, ILogger logger, TimeSpan debounce)
    {
        _holder = holder;
        _builder = builder;
        _recorder = recorder;
        _secrets = secrets;
        _time = time;
        _logger = logger;
        _debounce = debounce;
    }

    /// <summary>Starts watching the files the current snapshot was built from.</summary>
    public void Watch()
    {
        var config = _holder.Current.Config;
        AddWatcher(config.Policies.Directory, "*.cedar", recursive: true);
        if (config.Policies.ShadowDirectory is { } shadow)
        {
            AddWatcher(shadow, "*.cedar", recursive: true);
        }

        AddFileWatcher(config.SourcePath);
        if (config.Policies.SchemaFile is { } schema)
        {
            AddFileWatcher(schema);
        }

        if (config.EntitiesFile is { } entities)
        {
            AddFileWatcher(entities);
        }
    }

    /// <summary>Builds a new snapshot now and swaps it in if it is complete and valid.</summary>
    public async Task<ReloadResult> ReloadAsync(string reason, CancellationToken cancellationToken)
    {
        var result = await ReloadOnceAsync(reason, cancellationToken);
        GatewayMetrics.Count(GatewayMetrics.ConfigReloads,
            "mandate.reload.result", result.Applied ? "applied" : result.Problems.Count > 0 ? "refused" : "unchanged",
            "mandate.reload.trigger", reason);
        return result;
    }

    private async Task<ReloadResult> ReloadOnceAsync(string reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = _holder.Current;
            var build = _builder.BuildFromFile(current.Config.SourcePath);
            if (build.Snapshot is null)
            {
                SnapshotLog.SnapshotRefused(_logger, current.Version, reason, string.Join("; ", build.Problems));
                await _recorder.RecordPolicyChangeAsync(new PolicyChangeRecord(_time.GetUtcNow(), "policy_refused", current.Version, [], build.Problems), cancellationToken);
                return new ReloadResult(false, current.Version, build.Problems);
            }

            var next = KeepStartupSections(current, build.Snapshot);
            // Before the swap, so a newly named secret is there for the first request; and even for an unchanged
            // snapshot, so that a reload also re-reads rotated secrets.
            await _secrets.LoadAsync(next.Config, cancellationToken);
            if (next.Version == current.Version)
            {
                return new ReloadResult(false, current.Version, []);
            }

            _holder.Swap(next);
            SnapshotLog.SnapshotLoaded(_logger, next.Version, next.DecisionPoint.PolicyIds.Count, next.Routes.Routes.Count, reason);
            await _recorder.RecordPolicyChangeAsync(new PolicyChangeRecord(_time.GetUtcNow(), "policy_loaded", next.Version, next.DecisionPoint.PolicyIds, []), cancellationToken);
            return new ReloadResult(true, next.Version, []);
        }
        finally
        {
            _gate.Release();
        }
    }

    private GatewaySnapshot KeepStartupSections(GatewaySnapshot current, GatewaySnapshot next)
    {
        var was = current.Config;
        var now = next.Config;
        void Check(string section, bool same)
        {
            if (!same)
            {
                SnapshotLog.RestartRequired(_logger, section);
            }
        }

        Check("dataPlane", was.DataPlane.Listen.Equals(now.DataPlane.Listen) && Equals(was.DataPlane.Tls, now.DataPlane.Tls));
        Check("controlPlane", was.ControlPlane.Listen.Equals(now.ControlPlane.Listen) && was.ControlPlane.AdminToken == now.ControlPlane.AdminToken);
        Check("dataDir", was.DataDir == now.DataDir);
        Check("identity", was.Identity.Oidc.SequenceEqual(now.Identity.Oidc, OidcComparer.Instance) && was.Identity.Spiffe.SequenceEqual(now.Identity.Spiffe));
        var config = now with { DataPlane = was.DataPlane, ControlPlane = was.ControlPlane, DataDir = was.DataDir, Identity = was.Identity };
        return next with { Config = config };
    }

    private void AddFileWatcher(string file)
    {
        var directory = Path.GetDirectoryName(file);
        if (directory is not null && Directory.Exists(directory))
        {
            AddWatcher(directory, Path.GetFileName(file), recursive: false);
        }
    }

    private void AddWatcher(string directory, string filter, bool recursive)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var watcher = new FileSystemWatcher(directory, filter)
        {
            IncludeSubdirectories = recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
        };
        watcher.Changed += (_, _) => Schedule();
        watcher.Created += (_, _) => Schedule();
        watcher.Deleted += (_, _) => Schedule();
        watcher.Renamed += (_, _) => Schedule();
        watcher.Error += (_, e) => SnapshotLog.WatcherError(_logger, e.GetException());
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    // Editors write a file in several steps; wait until events stop for the debounce period.
    private void Schedule()
    {
        lock (_timerLock)
        {
            _timer?.Dispose();
            _timer = _time.CreateTimer(_ => _ = ReloadQuietlyAsync(), null, _debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ReloadQuietlyAsync()
    {
        try
        {
            await ReloadAsync("file change", CancellationToken.None);
        }
        catch (Exception e)
        {
            // A reload that throws leaves the old snapshot serving; the watcher keeps running.
            SnapshotLog.WatcherError(_logger, e);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        foreach (var w in _watchers)
        {
            w.Dispose();
        }

        lock (_timerLock)
        {
            _timer?.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private sealed class OidcComparer : IEqualityComparer<OidcIssuerConfig>
    {
        public static readonly OidcComparer Instance = new();

        public bool Equals(OidcIssuerConfig? x, OidcIssuerConfig? y) =>
            x is not null && y is not null && x.Issuer == y.Issuer && x.DiscoveryUrl == y.DiscoveryUrl &&
            x.Audiences.SequenceEqual(y.Audiences) && x.Algorithms.SequenceEqual(y.Algorithms) &&
            x.AgentClaim == y.AgentClaim && x.MaxStaleness == y.MaxStaleness && x.ClockSkew == y.ClockSkew;

        public int GetHashCode(OidcIssuerConfig obj) => obj.Issuer.GetHashCode(StringComparison.Ordinal);
    }
}
