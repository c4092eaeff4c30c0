using System.Collections.Concurrent;

namespace Mandate.Core.Approvals;

/// <summary>An approval store that lives only in this process: for tests, and hosts composed without a data directory.</summary>
public sealed class InMemoryApprovalStore : IApprovalStore
{
    private readonly ConcurrentDictionary<string, ApprovalRequest> _requests = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApprovalRequest>> LoadAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApprovalRequest>>(_requests.Values.Where(r => r.CreatedAt >= since).ToArray());

    /// <inheritdoc />
    public Task SaveAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        _requests[request.Id] = request;
        return Task.CompletedTask;
    }
}
