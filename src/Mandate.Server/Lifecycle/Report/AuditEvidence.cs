using Mandate.Core.Audit;
using Mandate.Core.Errors;

namespace Mandate.Server.Lifecycle.Report;

/// <summary>
/// Counts from the audit log over a window, and whether the whole chain verifies: the evidence a report shows beside
/// each control. Read in one pass over the window's records.
/// </summary>
/// <param name="Since">Start of the window.</param>
/// <param name="Records">Records in the window.</param>
/// <param name="Counts">Named counts (<c>decisions.allow</c>, <c>front.mcp</c>, <c>approvals.requested</c>, …).</param>
/// <param name="DeniedBy">Denies in the window by determining policy id.</param>
/// <param name="Verification">The chain and checkpoint check over the whole log.</param>
public sealed record AuditEvidence(
    DateTimeOffset Since,
    long Records,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyDictionary<string, long> DeniedBy,
    AuditVerification Verification)
{
    /// <summary>A named count, 0 when none.</summary>
    public long Count(string name) => Counts.GetValueOrDefault(name);

    /// <summary>Reads the window <paramref name="since"/> .. now from <paramref name="reader"/> and verifies the log.</summary>
    public static async Task<AuditEvidence> ReadAsync(IAuditReader reader, DateTimeOffset since, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var deniedBy = new Dictionary<string, long>(StringComparer.Ordinal);
        void Add(Dictionary<string, long> d, string key) => d[key] = d.GetValueOrDefault(key) + 1;
        long records = 0;
        await foreach (var entry in reader.QueryAsync(new AuditQuery { Since = since }, ct))
        {
            records++;
            var e = entry.Event;
            Add(counts, "kind." + e.Kind);
            if (e.Kind != AuditEvent.Kinds.Decision)
            {
                continue;
            }

            Add(counts, "decisions." + (e.Decision ?? "none"));
            if (e.Details.TryGetValue("front", out var front))
            {
                Add(counts, "front." + front);
            }

            if (e.Details.TryGetValue("code", out var code))
            {
                if (code == ErrorCatalogue.TokenRevoked.Code) Add(counts, "refused.revoked");
                if (code == ErrorCatalogue.TokenRevocation.Code) Add(counts, "revocations");
                if (code == ErrorCatalogue.SessionOutOfTask.Code) Add(counts, "refused.out_of_task");
                if (code == ErrorCatalogue.ApprovalRequired.Code) Add(counts, "approvals.required");
            }

            if (e.Decision == "deny")
            {
                foreach (var policy in e.Policies) Add(deniedBy, policy);
            }
        }

        return new AuditEvidence(since, records, counts, deniedBy, await reader.VerifyAsync(ct));
    }
}
