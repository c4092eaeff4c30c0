using System.Threading.Channels;
using Mandate.Core.Decisions;
using Mandate.Server.Flow.Record;
using Mandate.Server.Snapshots;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Flow.Shadow;

/// <summary>What the shadow set has seen since the process started.</summary>
/// <param name="Decided">Calls the shadow set decided.</param>
/// <param name="Agreed">Calls it answered as the live set did.</param>
/// <param name="AllowToDeny">Calls the live set allowed and the shadow set would deny.</param>
/// <param name="DenyToAllow">Calls the live set denied and the shadow set would allow.</param>
/// <param name="Dropped">Calls not shadowed because the queue was full.</param>
public sealed record ShadowCounts(long Decided, long Agreed, long AllowToDeny, long DenyToAllow, long Dropped);

/// <summary>
/// Decides calls with the snapshot's shadow (candidate) policy set beside the live decision, off the request path:
/// the decider hands over the request it decided and the live answer, and returns at once; one background reader
/// decides it again with the shadow set and records every disagreement (<c>shadow_disagreement</c>, in the same chain).
/// The live answer is never changed. When the queue is full a call is not shadowed, and counted as dropped, rather than
/// held: shadowing must not cost the caller.
/// </summary>
public sealed class ShadowBench : IAsyncDisposable
{
    private const int Capacity = 10_000;
    private readonly Channel<Job> _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly DecisionJournal _journal;
    private readonly ILogger<ShadowBench> _logger;
    private readonly Task _reader;
    private long _agreed, _allowToDeny, _denyToAllow, _dropped, _pending;

    /// <summary>Starts the background reader.</summary>
    public ShadowBench(DecisionJournal journal, ILogger<ShadowBench> logger)
    {
        _journal = journal;
        _logger = logger;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>The counts so far.</summary>
    public ShadowCounts Counts
    {
        get
        {
            var (agreed, allowToDeny, denyToAllow) = (Interlocked.Read(ref _agreed), Interlocked.Read(ref _allowToDeny), Interlocked.Read(ref _denyToAllow));
            return new(agreed + allowToDeny + denyToAllow, agreed, allowToDeny, denyToAllow, Interlocked.Read(ref _dropped));
        }
    }

    /// <summary>Hands over a live decision for shadowing; returns at once.</summary>
    public void Offer(ShadowSet shadow, Front front, DecisionRequest request, GatewayDecision live, DateTimeOffset at)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(new Job(shadow, front, request, live, at)))
        {
            Interlocked.Decrement(ref _pending);
            var dropped = Interlocked.Increment(ref _dropped);
            if ((dropped & (dropped - 1)) == 0)
            {
                FlowLog.ShadowDropped(_logger, dropped); // at 1, 2, 4, 8, … so a flood does not flood the log too
            }
        }
    }

    /// <summary>Waits until everything offered so far has been decided and recorded (for tests and shutdown).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (Interlocked.Read(ref _pending) != 0)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private async Task ReadAsync()
    {
        await foreach (var job in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await ShadowAsync(job);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private async Task ShadowAsync(Job job)
    {
        GatewayDecision shadow;
        try
        {
            shadow = job.Shadow.DecisionPoint.Decide(job.Request);
        }
        catch (Exception e)
        {
            // As on the live path: a set that throws has denied.
            FlowLog.ShadowFailed(_logger, e, job.Request.DecisionId);
            shadow = GatewayDecision.Failure(e.Message);
        }

        if (shadow.IsAllowed == job.Live.IsAllowed)
        {
            Interlocked.Increment(ref _agreed);
            return;
        }

        Interlocked.Increment(ref job.Live.IsAllowed ? ref _allowToDeny : ref _denyToAllow);
        await _journal.RecordShadowAsync(new ShadowRecord(
            job.Request.DecisionId,
            job.At,
            job.Front.Name(),
            job.Request.Caller,
            job.Request.Action,
            job.Request.Resource.Entity,
            job.Live.IsAllowed,
            job.Live.Policies.Select(p => p.Id).ToArray(),
            shadow.IsAllowed,
            shadow.Policies.Select(p => p.Id).ToArray(),
            job.Shadow.Version));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _reader;
    }

    private sealed record Job(ShadowSet Shadow, Front Front, DecisionRequest Request, GatewayDecision Live, DateTimeOffset At);
}
