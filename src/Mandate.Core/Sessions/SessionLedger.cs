using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Mandate.Core.Sessions;

/// <summary>
/// The session state decisions see (<c>context.session</c>'s calls, writes, tools used and labels seen, and the
/// agent's call rate), kept so that a decision and its update are atomic: a call <see cref="Reserve"/>s its units
/// before it is decided and sees the state without them; an allowed, recorded call commits them, a denied one
/// releases them. Two concurrent calls therefore never both spend the last unit of a budget (the second decides on a
/// state that already holds the first's reservation), and a denied call changes nothing. Labels are shared by a
/// session's whole delegation tree, so taint cannot be shed by delegating. Sessions and labels are stored
/// (<see cref="ISessionStore"/>) and survive a restart; the call rate is per node and per minute, in memory.
/// </summary>
public sealed class SessionLedger
{
    private const int RateSeconds = 60;

    private const int PruneEvery = 4096;

    private readonly ISessionStore _store;
    private readonly TimeSpan _keep;
    private int _reserves;
    private readonly ConcurrentDictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TreeState> _trees = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentRate> _rates = new(StringComparer.Ordinal);

    private SessionLedger(ISessionStore store, TimeSpan keep)
    {
        _store = store;
        _keep = keep;
    }

    /// <summary>
    /// Opens the ledger over <paramref name="store"/>, loading the sessions active within <paramref name="keep"/> of
    /// <paramref name="now"/>. While running, a session or delegation tree unused for <paramref name="keep"/> is
    /// dropped from memory, so memory holds what a restart would load. Keep it well above the longest task token
    /// lifetime: a dropped session that is used again starts from zero.
    /// </summary>
    public static async Task<SessionLedger> OpenAsync(ISessionStore store, DateTimeOffset now, TimeSpan keep, CancellationToken cancellationToken = default)
    {
        var ledger = new SessionLedger(store, keep);
        foreach (var s in await store.LoadAsync(now - keep, cancellationToken))
        {
            ledger._sessions[s.SessionId] = new SessionState { LastUsed = now, Calls = s.Calls, Writes = s.Writes, Tools = s.ToolsUsed.ToImmutableHashSet(StringComparer.Ordinal) };
            var tree = ledger._trees.GetOrAdd(s.RootSessionId, _ => new TreeState());
            tree.LastUsed = now;
            tree.Labels = tree.Labels.Union(s.TreeLabels);
        }

        return ledger;
    }

    /// <summary>
    /// Takes the call's units (one call, a write when it writes, a rate slot) and returns the state before them, for
    /// the decision. Settle the charge with <see cref="CommitAsync"/> or <see cref="Release"/>.
    /// </summary>
    public SessionCharge Reserve(SessionCall call, DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        var rate = _rates.GetOrAdd(call.AgentId, _ => new AgentRate());
        long recent;
        lock (rate)
        {
            recent = rate.Take(second);
        }

        if (call.SessionId is not { } sid)
        {
            return new SessionCharge(call, SessionView.Empty(recent), second);
        }

        if (Interlocked.Increment(ref _reserves) % PruneEvery == 0)
        {
            Prune(now);
        }

        var session = _sessions.GetOrAdd(sid, _ => new SessionState());
        long calls, writes;
        ImmutableHashSet<string> tools;
        lock (session)
        {
            session.LastUsed = now;
            calls = session.Calls;
            writes = session.Writes;
            tools = session.Tools;
            session.Calls++;
            if (call.Write)
            {
                session.Writes++;
            }
        }

        var labels = ImmutableHashSet<string>.Empty;
        if (_trees.TryGetValue(call.RootSessionId ?? sid, out var tree))
        {
            lock (tree)
            {
                tree.LastUsed = now;
                labels = tree.Labels;
            }
        }

        return new SessionCharge(call, new SessionView(calls, writes, Sorted(tools), Sorted(labels), recent), second);
    }

    /// <summary>
    /// The state a call would see, without taking anything (for filtering lists: what could be allowed).
    /// </summary>
    public SessionView Peek(SessionCall call, DateTimeOffset now)
    {
        long recent = 0;
        if (_rates.TryGetValue(call.AgentId, out var rate))
        {
            lock (rate)
            {
                recent = rate.Count(now.ToUnixTimeSeconds());
            }
        }

        if (call.SessionId is not { } sid || !_sessions.TryGetValue(sid, out var session))
        {
            var treeLabels = call.SessionId is not null && _trees.TryGetValue(call.RootSessionId ?? call.SessionId, out var t) ? Sorted(t.Labels) : [];
            return new SessionView(0, 0, [], treeLabels, recent);
        }

        lock (session)
        {
            var labels = _trees.TryGetValue(call.RootSessionId ?? sid, out var tree) ? tree.Labels : ImmutableHashSet<string>.Empty;
            return new SessionView(session.Calls, session.Writes, Sorted(session.Tools), Sorted(labels), recent);
        }
    }

    /// <summary>
    /// Keeps the units of an allowed call and adds its tool and labels; for a session, stores the update before it
    /// returns. False when the store failed: the call's units are given back and the call must not proceed.
    /// </summary>
    public async ValueTask<bool> CommitAsync(SessionCharge charge, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref charge.Settled, 1) == 1)
        {
            return true;
        }

        var call = charge.Call;
        if (call.SessionId is not { } sid)
        {
            return true;
        }

        try
        {
            await _store.AddCallAsync(call, now, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Exchange(ref charge.Settled, 0);
            Release(charge);
            return false;
        }

        var session = _sessions.GetOrAdd(sid, _ => new SessionState());
        lock (session)
        {
            session.LastUsed = now;
            session.Tools = session.Tools.Add(call.Tool);
        }

        if (call.Labels.Count > 0)
        {
            var tree = _trees.GetOrAdd(call.RootSessionId ?? sid, _ => new TreeState());
            lock (tree)
            {
                tree.LastUsed = now;
                tree.Labels = tree.Labels.Union(call.Labels);
            }
        }

        return true;
    }

    /// <summary>Gives back the units of a call that was denied or could not be recorded: it changes nothing.</summary>
    public void Release(SessionCharge charge)
    {
        if (Interlocked.Exchange(ref charge.Settled, 1) == 1)
        {
            return;
        }

        var call = charge.Call;
        if (_rates.TryGetValue(call.AgentId, out var rate))
        {
            lock (rate)
            {
                rate.Give(charge.RateSecond);
            }
        }

        if (call.SessionId is { } sid && _sessions.TryGetValue(sid, out var session))
        {
            lock (session)
            {
                session.Calls--;
                if (call.Write)
                {
                    session.Writes--;
                }
            }
        }
    }

    // Memory is bounded by what was used within the keep window, as a restart would load it. A racing reserve may
    // touch a session as it is dropped; it then counts from zero, which only a session idle for the whole window meets.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (sid, session) in _sessions)
        {
            if (now - session.LastUsed > _keep)
            {
                _sessions.TryRemove(sid, out _);
            }
        }

        foreach (var (root, tree) in _trees)
        {
            if (now - tree.LastUsed > _keep)
            {
                _trees.TryRemove(root, out _);
            }
        }
    }

    private static IReadOnlyList<string> Sorted(ImmutableHashSet<string> set) =>
        set.Count == 0 ? [] : set.Order(StringComparer.Ordinal).ToArray();

    private sealed class SessionState
    {
        public DateTimeOffset LastUsed = DateTimeOffset.MaxValue;
        public long Calls;
        public long Writes;
        public ImmutableHashSet<string> Tools = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    }

    private sealed class TreeState
    {
        public DateTimeOffset LastUsed = DateTimeOffset.MaxValue;
        public ImmutableHashSet<string> Labels = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    }

    // Allowed calls per second over the last minute, in a ring of 60 slots (guarded by the instance's lock).
    private sealed class AgentRate
    {
        private readonly long[] _seconds = new long[RateSeconds];
        private readonly long[] _counts = new long[RateSeconds];

        public long Take(long second)
        {
            var before = Count(second);
            var slot = (int)(second % RateSeconds);
            if (_seconds[slot] != second)
            {
                _seconds[slot] = second;
                _counts[slot] = 0;
            }

            _counts[slot]++;
            return before;
        }

        public void Give(long second)
        {
            var slot = (int)(second % RateSeconds);
            if (_seconds[slot] == second && _counts[slot] > 0)
            {
                _counts[slot]--;
            }
        }

        public long Count(long second)
        {
            long sum = 0;
            for (var i = 0; i < RateSeconds; i++)
            {
                if (second - _seconds[i] < RateSeconds && _seconds[i] <= second)
                {
                    sum += _counts[i];
                }
            }

            return sum;
        }
    }
}
