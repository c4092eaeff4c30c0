using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Flow.Shadow;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Planes;

/// <summary>
/// <c>GET /v1/policies/shadow</c>: the shadow (candidate) set in force and what it has disagreed on since start;
/// <c>POST /v1/policies/shadow/promote</c>: the candidate folder becomes the live policy folder — recorded first
/// (<c>policy_promoted</c>, durable before any file changes), then copied, then reloaded.
/// </summary>
public sealed class ShadowAdminApi
{
    /// <summary>The paths it answers.</summary>
    public const string Prefix = "/v1/policies/shadow";

    private readonly SnapshotHolder _snapshots;
    private readonly SnapshotReloader _reloader;
    private readonly ShadowBench _bench;
    private readonly IDecisionRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _promoting = new(1, 1);

    /// <summary>Creates the endpoints.</summary>
    public ShadowAdminApi(SnapshotHolder snapshots, SnapshotReloader reloader, ShadowBench bench, IDecisionRecorder recorder, TimeProvider time)
    {
        _snapshots = snapshots;
        _reloader = reloader;
        _bench = bench;
        _recorder = recorder;
        _time = time;
    }

    /// <summary>Answers an admin request under <see cref="Prefix"/>.</summary>
    public async Task HandleAsync(HttpContext context, string path)
    {
        var snapshot = _snapshots.Current;
        if (path == Prefix && HttpMethods.IsGet(context.Request.Method))
        {
            var c = _bench.Counts;
            await Results.Json(new
            {
                source = snapshot.Shadow?.Source,
                version = snapshot.Shadow?.Version,
                liveVersion = snapshot.Version,
                decided = c.Decided,
                agreed = c.Agreed,
                allowToDeny = c.AllowToDeny,
                denyToAllow = c.DenyToAllow,
                dropped = c.Dropped,
            }).ExecuteAsync(context);
            return;
        }

        if (path == Prefix + "/promote" && HttpMethods.IsPost(context.Request.Method))
        {
            await PromoteAsync(context, snapshot);
            return;
        }

        await ProblemResponse.WriteAsync(context, ErrorCatalogue.AdminNotFound, "no such admin endpoint", null);
    }

    private async Task PromoteAsync(HttpContext context, GatewaySnapshot snapshot)
    {
        var policies = snapshot.Config.Policies;
        if (policies.ShadowDirectory is not { } candidate || snapshot.Shadow is not { } shadow)
        {
            await ProblemResponse.WriteAsync(context, ErrorCatalogue.ShadowNone,
                "no candidate folder (policies.shadow) is configured; `@shadow` policies are promoted by removing the annotation", null);
            return;
        }

        await _promoting.WaitAsync(context.RequestAborted);
        try
        {
            var record = new PolicyChangeRecord(_time.GetUtcNow(), "policy_promoted", shadow.Version, shadow.DecisionPoint.PolicyIds,
                [$"from live version {snapshot.Version}", $"candidate {candidate} into {policies.Directory}"]);
            var recorded = await _recorder.RecordPolicyChangeAsync(record, context.RequestAborted);
            if (!recorded.IsDurable)
            {
                await ProblemResponse.WriteAsync(context, ErrorCatalogue.ShadowPromoteFailed, $"the promotion could not be recorded ({recorded.Error}); nothing changed", null);
                return;
            }

            try
            {
                CopyCandidate(candidate, policies.Directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await ProblemResponse.WriteAsync(context, ErrorCatalogue.ShadowPromoteFailed,
                    $"the candidate could not be written into the live folder ({e.Message}); the live folder may be partly changed and the running set is unchanged until a reload", null);
                return;
            }

            var result = await _reloader.ReloadAsync("shadow promote", context.RequestAborted);
            await Results.Json(new { promoted = true, version = result.Version, applied = result.Applied, problems = result.Problems },
                statusCode: result.Problems.Count > 0 ? 422 : 200).ExecuteAsync(context);
        }
        finally
        {
            _promoting.Release();
        }
    }

    // The live folder's .cedar files become exactly the candidate's: each written beside its place and renamed over it,
    // then the live files the candidate does not have are removed. Other files in the folder are left alone.
    private static void CopyCandidate(string candidate, string live)
    {
        var wanted = Directory.EnumerateFiles(candidate, "*.cedar", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(candidate, f), f => f, StringComparer.Ordinal);
        foreach (var (relative, source) in wanted)
        {
            var target = Path.Combine(live, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".mandate-promote.tmp";
            File.Copy(source, temp, overwrite: true);
            File.Move(temp, target, overwrite: true);
        }

        foreach (var existing in Directory.EnumerateFiles(live, "*.cedar", SearchOption.AllDirectories))
        {
            if (!wanted.ContainsKey(Path.GetRelativePath(live, existing)))
            {
                File.Delete(existing);
            }
        }
    }
}
