namespace Mandate.Core.Sessions;

/// <summary>
/// Where session state outlives the process: per session its counters and tools, per delegation tree its labels.
/// Increments are applied as increments, so concurrent commits never overwrite each other. Failures are thrown.
/// </summary>
public interface ISessionStore
{
    /// <summary>Everything stored for sessions whose last call was at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<StoredSession>> LoadAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Adds one allowed call to its session and its labels to the tree (durable against a crash of the process when it returns).</summary>
    Task AddCallAsync(SessionCall call, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>One stored session.</summary>
/// <param name="SessionId">The session id.</param>
/// <param name="RootSessionId">The root of its delegation tree.</param>
/// <param name="Calls">Allowed calls.</param>
/// <param name="Writes">Allowed writes.</param>
/// <param name="ToolsUsed">Tools used.</param>
/// <param name="TreeLabels">Labels the whole tree has seen.</param>
public sealed record StoredSession(string SessionId, string RootSessionId, long Calls, long Writes, IReadOnlyList<string> ToolsUsed, IReadOnlyList<string> TreeLabels);
