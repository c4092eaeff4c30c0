namespace Mandate.Core.Identity;

/// <summary>
/// One issuer's cached key set. Reads are lock-free (an immutable <see cref="State"/> swapped atomically);
/// fetches are single-flight (concurrent callers share one fetch) and rate limited by
/// <see cref="KeySetRefreshPolicy.MinRefreshInterval"/>, so neither an unknown <c>kid</c> flood nor an outage
/// can turn into a fetch storm against the issuer.
/// </summary>
internal sealed class KeySetCache
{
    private readonly IKeySetSource _source;
    private readonly KeySetRefreshPolicy _policy;
    private readonly TimeProvider _time;
    private readonly string _name;
    private readonly CancellationToken _shutdown;
    private readonly Lock _gate = new();
    private volatile State _state = new(null, DateTimeOffset.MinValue, DateTimeOffset.MinValue, null);
    private Task<State>? _inflight;
    private ITimer? _timer;

    public KeySetCache(string name, IKeySetSource source, KeySetRefreshPolicy policy, TimeProvider time, CancellationToken shutdown)
    {
        _name = name;
        _source = source;
        _policy = policy;
        _time = time;
        _shutdown = shutdown;
    }

    /// <summary>
    /// Refreshes every <see cref="KeySetRefreshPolicy.RefreshInterval"/> even without traffic, so keys do not go
    /// stale on an idle gateway and readiness stays true while the issuer is healthy. The timer only starts a fetch.
    /// </summary>
    public void StartPeriodicRefresh() =>
        _timer ??= _time.CreateTimer(_ => StartRefresh(force: false), null, _policy.RefreshInterval, _policy.RefreshInterval);

    /// <summary>Stops the periodic refresh.</summary>
    public void StopPeriodicRefresh() => _timer?.Dispose();

    /// <summary>What the cache holds: the last good keys, when they were fetched, when a fetch last started and how the last one failed.</summary>
    private sealed record State(VerificationKeySet? Keys, DateTimeOffset FetchedAt, DateTimeOffset LastAttemptAt, IdentityError? LastError);

    /// <summary>True when usable keys are held (fetched, and not older than the staleness bound).</summary>
    public bool IsReady => Usable(_state, _time.GetUtcNow()) is not null;

    /// <summary>The keys usable right now without any fetch, or null (used to re-check cached verifications).</summary>
    public VerificationKeySet? CurrentKeys => Usable(_state, _time.GetUtcNow());

    /// <summary>Whether a fetch is running now (tests wait on it before moving a fake clock again).</summary>
    internal bool RefreshInFlight => _inflight is { IsCompleted: false };

    /// <summary>The last fetch failure, if the last fetch failed.</summary>
    public IdentityError? LastError => _state.LastError;

    /// <summary>
    /// The keys to verify a token with. Fetches first when nothing is held or the keys are past the
    /// staleness bound; starts a background refresh when they are merely due; refreshes once (rate
    /// limited) when <paramref name="kid"/> is not in the set, to pick up a rotation.
    /// </summary>
    public async ValueTask<(VerificationKeySet? Keys, IdentityError? Error)> GetKeysAsync(string? kid, CancellationToken cancellationToken)
    {
        var state = _state;
        var now = _time.GetUtcNow();
        if (state.Keys is null)
        {
            state = await StartRefresh(force: false).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (state.Keys is null)
            {
                return (null, new IdentityError(IdentityErrorCodes.JwksUnavailable,
                    $"the keys of `{_name}` are not available: {state.LastError?.Message ?? "not fetched yet"}"));
            }
        }
        else if (now - state.FetchedAt >= _policy.RefreshInterval)
        {
            var flight = StartRefresh(force: false);
            if (now - state.FetchedAt > _policy.MaxStaleness)
            {
                // Past the bound the old keys are worthless: wait for the fetch and fail closed if it fails.
                state = await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        now = _time.GetUtcNow();
        if (Usable(state, now) is null)
        {
            return (null, new IdentityError(IdentityErrorCodes.JwksStale,
                $"the keys of `{_name}` are older than {_policy.MaxStaleness} and could not be refreshed: {state.LastError?.Message ?? "no error recorded"}"));
        }

        if (kid is not null && !state.Keys!.HasKeyId(kid))
        {
            var refreshed = await StartRefresh(force: false).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Usable(refreshed, _time.GetUtcNow()) is { } fresh)
            {
                state = refreshed;
                return (fresh, null);
            }
        }
        return (state.Keys, null);
    }

    /// <summary>Fetches now, ignoring the rate limit (start-up warm-up, operator refresh). Joins a fetch already running.</summary>
    public async Task<IdentityError?> RefreshAsync(CancellationToken cancellationToken)
    {
        var state = await StartRefresh(force: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        return state.Keys is not null && state.LastError is null ? null : state.LastError;
    }

    private VerificationKeySet? Usable(State state, DateTimeOffset now) =>
        state.Keys is not null && now - state.FetchedAt <= _policy.MaxStaleness ? state.Keys : null;

    private Task<State> StartRefresh(bool force)
    {
        TaskCompletionSource<State> completion;
        lock (_gate)
        {
            if (_inflight is { IsCompleted: false } running)
            {
                return running;
            }
            var now = _time.GetUtcNow();
            if (!force && now - _state.LastAttemptAt < _policy.MinRefreshInterval)
            {
                return Task.FromResult(_state);
            }
            _state = _state with { LastAttemptAt = now };
            completion = new TaskCompletionSource<State>(TaskCreationOptions.RunContinuationsAsynchronously);
            _inflight = completion.Task;
        }
        // INVARIANT: the fetch runs outside the lock; the lock only decides who starts it.
        _ = RunRefreshAsync(completion);
        return completion.Task;
    }

    private async Task RunRefreshAsync(TaskCompletionSource<State> completion)
    {
        KeySetFetch fetch;
        try
        {
            fetch = await _source.FetchAsync(_shutdown).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A fetch must never take the cache down; an unexpected failure is just a failed fetch.
            fetch = KeySetFetch.Failure($"fetching failed: {ex.Message}");
        }

        State next;
        lock (_gate)
        {
            var current = _state;
            next = fetch.Keys is not null
                ? new State(fetch.Keys, _time.GetUtcNow(), current.LastAttemptAt, null)
                : current with { LastError = fetch.Error };
            _state = next;
        }
        completion.SetResult(next);
    }
}
