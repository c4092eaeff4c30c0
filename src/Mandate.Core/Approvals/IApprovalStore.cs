namespace Mandate.Core.Approvals;

/// <summary>Where approval requests outlive the process. Failures are thrown; the caller fails closed.</summary>
public interface IApprovalStore
{
    /// <summary>Every request created at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<ApprovalRequest>> LoadAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Stores a request as it now is (insert or replace by id); durable against a crash of the process when it returns.</summary>
    Task SaveAsync(ApprovalRequest request, CancellationToken cancellationToken = default);
}
