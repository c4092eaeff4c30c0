using System.Collections.Concurrent;

namespace Mandate.Core.OAuth;

/// <summary>
/// Remembers DPoP proof ids (<c>jti</c>, per key thumbprint) for as long as a proof with them could still be
/// accepted, so a captured proof cannot be replayed (RFC 9449 §11.1). Bounded: past <see cref="Capacity"/> live
/// entries a new proof is refused (fail closed) rather than an old id forgotten early.
/// </summary>
/// <remarks>
/// Per node: in a cluster a proof could be replayed once against each other node within the window. Bound the
/// window (default ±60 s) accordingly; clients must send a new proof per request anyway.
/// </remarks>
public sealed class DpopReplayCache
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private long _nextSweep;

    /// <summary>Creates a cache.</summary>
    /// <param name="retention">How long an id is remembered (twice the accepted <c>iat</c> window covers a proof dated in the future).</param>
    /// <param name="capacity">Most ids held at once.</param>
    /// <param name="time">Clock.</param>
    public DpopReplayCache(TimeSpan retention, int capacity, TimeProvider time)
    {
        Retention = retention;
        Capacity = capacity;
        _time = time;
    }

    /// <summary>How long an id is remembered.</summary>
    public TimeSpan Retention { get; }

    /// <summary>Most ids held at once.</summary>
    public int Capacity { get; }

    /// <summary>Ids currently held.</summary>
    public int Count => _seen.Count;

    /// <summary>Records <paramref name="key"/>; false when it was seen within the retention, or the cache is full.</summary>
    public bool TryAdd(string key)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_seen.Count >= Capacity || now >= Interlocked.Read(ref _nextSweep))
        {
            Sweep(now);
        }
        if (_seen.Count >= Capacity)
        {
            return false;
        }
        var expires = now + (long)Retention.TotalMilliseconds;
        while (true)
        {
            if (_seen.TryAdd(key, expires))
            {
                return true;
            }
            if (!_seen.TryGetValue(key, out var existing))
            {
                continue;
            }
            if (existing > now)
            {
                return false;
            }
            // An expired entry not swept yet: the id may be used again (its old proof is outside the window now).
            if (_seen.TryUpdate(key, expires, existing))
            {
                return true;
            }
        }
    }

    private void Sweep(long now)
    {
        Interlocked.Exchange(ref _nextSweep, now + Math.Max(1000, (long)Retention.TotalMilliseconds / 4));
        foreach (var (key, expires) in _seen)
        {
            if (expires <= now)
            {
                _seen.TryRemove(new KeyValuePair<string, long>(key, expires));
            }
        }
    }
}
