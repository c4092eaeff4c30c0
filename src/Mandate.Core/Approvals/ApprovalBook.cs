using System.Collections.Concurrent;

namespace Mandate.Core.Approvals;

/// <summary>
/// The approval requests and their life, kept so every change is atomic: a request is decided once (pending →
/// approved or denied), and an approval is used once — a call <see cref="Claim"/>s it (no other call can while it
/// is held), then <see cref="ConsumeAsync"/> marks it used when the call is allowed and recorded, or
/// <see cref="Release"/> gives it back. Every change is stored (<see cref="IApprovalStore"/>) before it counts, so
/// approvals survive a restart. Expiry is applied whenever a request is read.
/// </summary>
public sealed class ApprovalBook
{
    private readonly IApprovalStore _store;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _approved;

    private ApprovalBook(IApprovalStore store) => _store = store;

    /// <summary>Opens the book over <paramref name="store"/> with the requests created within <paramref name="keep"/> of <paramref name="now"/>.</summary>
    public static async Task<ApprovalBook> OpenAsync(IApprovalStore store, DateTimeOffset now, TimeSpan keep, CancellationToken cancellationToken = default)
    {
        var book = new ApprovalBook(store);
        foreach (var request in await store.LoadAsync(now - keep, cancellationToken))
        {
            book._entries[request.Id] = new Entry(request);
            if (request.Status == ApprovalStatus.Approved)
            {
                book._approved++;
            }
        }

        return book;
    }

    /// <summary>
    /// True when some request is approved and unused (an upper bound: it may have expired since). A call that names
    /// no approval looks for one granted for it only then, so the common call pays nothing for approvals.
    /// </summary>
    public bool HasApproved => Volatile.Read(ref _approved) > 0;

    /// <summary>Stores a new pending request and returns it.</summary>
    public async Task<ApprovalRequest> OpenRequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        await _store.SaveAsync(request, cancellationToken);
        _entries[request.Id] = new Entry(request);
        return request;
    }

    /// <summary>The request with <paramref name="id"/> as it is at <paramref name="now"/>, or null.</summary>
    public ApprovalRequest? Find(string id, DateTimeOffset now) =>
        _entries.TryGetValue(id, out var entry) ? Current(entry, now) : null;

    /// <summary>Every request (of <paramref name="status"/> when given), oldest first.</summary>
    public IReadOnlyList<ApprovalRequest> List(ApprovalStatus? status, DateTimeOffset now) =>
        _entries.Values.Select(e => Current(e, now))
            .Where(r => status is null || r.Status == status)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// A person approves or denies a pending request. Returns the decided request, or null with the request as it
    /// is when it was not pending (already decided, used, or expired) or unknown.
    /// </summary>
    public async Task<(ApprovalRequest? Decided, ApprovalRequest? Current)> DecideAsync(string id, bool approve, string by, string? comment, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            return (null, null);
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            var current = Current(entry, now);
            if (current.Status != ApprovalStatus.Pending)
            {
                return (null, current);
            }

            var decided = current with
            {
                Status = approve ? ApprovalStatus.Approved : ApprovalStatus.Denied,
                DecidedBy = by,
                DecidedAt = now,
                Comment = comment,
            };
            await _store.SaveAsync(decided, cancellationToken);
            lock (entry)
            {
                entry.Request = decided;
            }

            if (approve)
            {
                Interlocked.Increment(ref _approved);
            }

            entry.Decided.TrySetResult(decided);
            return (decided, decided);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>
    /// Holds the approval <paramref name="id"/> for one call whose bound facts hash to <paramref name="digest"/>: it
    /// must be approved, unused, unexpired, not held by another call, and granted for exactly this call.
    /// </summary>
    public (ApprovalClaim? Claim, ApprovalRefusal Refusal) Claim(string id, string digest, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            return (null, ApprovalRefusal.Unknown);
        }

        lock (entry)
        {
            var current = Current(entry, now);
            var refusal = current.Status switch
            {
                ApprovalStatus.Pending => ApprovalRefusal.Pending,
                ApprovalStatus.Denied => ApprovalRefusal.Denied,
                ApprovalStatus.Consumed => ApprovalRefusal.Consumed,
                ApprovalStatus.Expired => ApprovalRefusal.Expired,
                _ when !string.Equals(current.Digest, digest, StringComparison.Ordinal) => ApprovalRefusal.Mismatch,
                _ when entry.InUse => ApprovalRefusal.InUse,
                _ => (ApprovalRefusal?)null,
            };
            if (refusal is { } r)
            {
                return (null, r);
            }

            entry.InUse = true;
            return (new ApprovalClaim(current), default);
        }
    }

    /// <summary>
    /// Holds an approved, unused, unexpired approval granted for exactly the call hashing to <paramref name="digest"/>,
    /// if there is one: a call repeated as it was approved needs no approval id (an MCP client retries the original
    /// request after a URL elicitation).
    /// </summary>
    public ApprovalClaim? ClaimByDigest(string digest, DateTimeOffset now)
    {
        foreach (var entry in _entries.Values)
        {
            if (entry.Request.Status != ApprovalStatus.Approved || !string.Equals(entry.Request.Digest, digest, StringComparison.Ordinal))
            {
                continue;
            }

            if (Claim(entry.Request.Id, digest, now).Claim is { } claim)
            {
                return claim;
            }
        }

        return null;
    }

    /// <summary>Marks a held approval used, for good; false (and released) when that could not be stored.</summary>
    public async Task<bool> ConsumeAsync(ApprovalClaim claim, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref claim.Settled, 1) == 1 || !_entries.TryGetValue(claim.Request.Id, out var entry))
        {
            return false;
        }

        var consumed = claim.Request with { Status = ApprovalStatus.Consumed, ConsumedAt = now };
        try
        {
            await _store.SaveAsync(consumed, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (entry)
            {
                entry.InUse = false;
            }

            return false;
        }

        lock (entry)
        {
            entry.Request = consumed;
            entry.InUse = false;
        }

        Interlocked.Decrement(ref _approved);
        return true;
    }

    /// <summary>Gives a held approval back unused (the call was denied after all, or not recorded).</summary>
    public void Release(ApprovalClaim claim)
    {
        if (Interlocked.Exchange(ref claim.Settled, 1) == 1 || !_entries.TryGetValue(claim.Request.Id, out var entry))
        {
            return;
        }

        lock (entry)
        {
            entry.InUse = false;
        }
    }

    /// <summary>Waits until a person decides <paramref name="id"/> or <paramref name="timeout"/> passes; the request as it then is.</summary>
    public async Task<ApprovalRequest?> WaitForDecisionAsync(string id, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            return null;
        }

        try
        {
            await entry.Decided.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Undecided in time: the request is answered as it is.
        }

        return Current(entry, time.GetUtcNow());
    }

    /// <summary>
    /// The open requests whose expiry has passed, marked expired and stored; each is returned once. Closed requests a
    /// week past their expiry are dropped from memory (the store keeps them).
    /// </summary>
    public async Task<IReadOnlyList<ApprovalRequest>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var expired = new List<ApprovalRequest>();
        foreach (var (id, old) in _entries)
        {
            if (old.Request.Status is ApprovalStatus.Denied or ApprovalStatus.Consumed or ApprovalStatus.Expired && now - old.Request.ExpiresAt > TimeSpan.FromDays(7))
            {
                _entries.TryRemove(id, out _);
            }
        }

        foreach (var entry in _entries.Values)
        {
            if (entry.Request.Status is not (ApprovalStatus.Pending or ApprovalStatus.Approved) || now < entry.Request.ExpiresAt || entry.InUse)
            {
                continue;
            }

            await entry.Gate.WaitAsync(cancellationToken);
            try
            {
                lock (entry)
                {
                    if (entry.InUse || entry.Request.Status is not (ApprovalStatus.Pending or ApprovalStatus.Approved))
                    {
                        continue;
                    }
                }

                var wasApproved = entry.Request.Status == ApprovalStatus.Approved;
                var done = entry.Request with { Status = ApprovalStatus.Expired };
                await _store.SaveAsync(done, cancellationToken);
                lock (entry)
                {
                    entry.Request = done;
                }

                if (wasApproved)
                {
                    Interlocked.Decrement(ref _approved);
                }

                entry.Decided.TrySetResult(done);
                expired.Add(done);
            }
            finally
            {
                entry.Gate.Release();
            }
        }

        return expired;
    }

    // Expiry is a matter of time, not of a sweep having run: an open request past its expiry reads as expired.
    private static ApprovalRequest Current(Entry entry, DateTimeOffset now)
    {
        var r = entry.Request;
        return r.Status is ApprovalStatus.Pending or ApprovalStatus.Approved && now >= r.ExpiresAt ? r with { Status = ApprovalStatus.Expired } : r;
    }

    private sealed class Entry(ApprovalRequest request)
    {
        public ApprovalRequest Request = request;
        public bool InUse;
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly TaskCompletionSource<ApprovalRequest> Decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
