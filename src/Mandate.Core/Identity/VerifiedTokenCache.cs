using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Mandate.Core.Identity;

/// <summary>
/// Tokens whose signature and claims were already checked, keyed by the SHA-256 of the token, kept until
/// the token's <c>exp</c> (plus skew). A hit still re-checks the expiry against now, and the caller re-checks
/// that the verifying key is still published, so a key withdrawn from a JWKS stops its tokens too.
/// </summary>
internal sealed class VerifiedTokenCache(int capacity, TimeProvider time)
{
    // Sweeping a full cache is O(n); do it at most this often so a full cache of live tokens cannot turn every miss into a scan.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<TokenDigest, Entry> _entries = new();
    private long _lastSweepTicks;
    // Kept beside the dictionary: ConcurrentDictionary.Count takes every lock, and Add needs a count per new token.
    private int _count;

    /// <summary>A cached verification.</summary>
    /// <param name="Identity">The identity the token mapped to.</param>
    /// <param name="ValidUntil">The token's <c>exp</c> plus the issuer's clock skew.</param>
    /// <param name="Keys">The cache of the issuer's keys, to re-check <paramref name="KeyFingerprint"/>.</param>
    /// <param name="KeyFingerprint">The fingerprint of the key that verified the signature.</param>
    public sealed record Entry(AgentIdentity Identity, DateTimeOffset ValidUntil, KeySetCache Keys, string KeyFingerprint);

    /// <summary>How many verifications are cached.</summary>
    public int Count => _entries.Count;

    /// <summary>The SHA-256 of <paramref name="token"/>.</summary>
    public static TokenDigest Digest(string token) => Digest(token.AsSpan());

    /// <summary>The SHA-256 of <paramref name="token"/>, read where it lies (e.g. inside the Authorization header).</summary>
    public static TokenDigest Digest(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[32];
        // A pooled buffer, not stackalloc: a stack buffer is zeroed first, and sized for the worst case (3 bytes per
        // char) that was several KB of memset for every request.
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(token.Length));
        try
        {
            var written = Encoding.UTF8.GetBytes(token, utf8);
            SHA256.HashData(utf8.AsSpan(0, written), hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
        var words = MemoryMarshal.Cast<byte, ulong>(hash);
        return new TokenDigest(words[0], words[1], words[2], words[3]);
    }

    /// <summary>The cached identity for <paramref name="digest"/>, if it is cached, unexpired, and its key is still published.</summary>
    public bool TryGet(TokenDigest digest, out AgentIdentity? identity)
    {
        identity = null;
        if (capacity <= 0 || !_entries.TryGetValue(digest, out var entry))
        {
            return false;
        }
        if (time.GetUtcNow() > entry.ValidUntil || entry.Keys.CurrentKeys is not { } keys || !keys.Fingerprints.Contains(entry.KeyFingerprint))
        {
            // Expired, keys stale, or key withdrawn: forget it; the caller verifies from scratch (and fails or re-caches).
            Forget(digest);
            return false;
        }
        identity = entry.Identity;
        return true;
    }

    /// <summary>Remembers a verification. When full, expired entries are swept; if it is still full the entry is not cached.</summary>
    public void Add(TokenDigest digest, Entry entry)
    {
        if (capacity <= 0)
        {
            return;
        }
        if (Volatile.Read(ref _count) >= capacity)
        {
            Sweep();
            if (Volatile.Read(ref _count) >= capacity)
            {
                return;
            }
        }
        if (_entries.TryAdd(digest, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _entries[digest] = entry;
        }
    }

    private void Forget(TokenDigest digest)
    {
        if (_entries.TryRemove(digest, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < SweepInterval.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }
        foreach (var (key, value) in _entries)
        {
            if (now > value.ValidUntil)
            {
                Forget(key);
            }
        }
    }
}
