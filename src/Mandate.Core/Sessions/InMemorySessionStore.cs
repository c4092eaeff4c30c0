namespace Mandate.Core.Sessions;

/// <summary>A session store that lives only in this process: for tests, and hosts composed without a data directory.</summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly List<(SessionCall Call, DateTimeOffset At)> _calls = [];

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredSession>> LoadAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        lock (_calls)
        {
            var byTree = _calls.GroupBy(c => c.Call.RootSessionId ?? c.Call.SessionId!)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(c => c.Call.Labels).Distinct(StringComparer.Ordinal).ToArray());
            IReadOnlyList<StoredSession> sessions = _calls.Where(c => c.At >= since).GroupBy(c => c.Call.SessionId!).Select(g => new StoredSession(
                g.Key,
                g.First().Call.RootSessionId ?? g.Key,
                g.Count(),
                g.Count(c => c.Call.Write),
                g.Select(c => c.Call.Tool).Distinct(StringComparer.Ordinal).ToArray(),
                byTree[g.First().Call.RootSessionId ?? g.Key])).ToArray();
            return Task.FromResult(sessions);
        }
    }

    /// <inheritdoc />
    public Task AddCallAsync(SessionCall call, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_calls)
        {
            _calls.Add((call, at));
        }

        return Task.CompletedTask;
    }
}
