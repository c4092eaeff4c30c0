using Mandate.Core.Tokens;

namespace Mandate.Storage.Sqlite.Tokens;

/// <summary>One write waiting for the group commit: exactly one of its payloads is set.</summary>
internal sealed class PendingTokenWrite
{
    public TaskSessionRecord? Session { get; init; }

    public TaskTokenRecord? Token { get; init; }

    public TaskRevocationRecord? Revocation { get; init; }

    public TaskSigningKeyRecord? Key { get; init; }

    /// <summary>A prune: delete what expired before this instant.</summary>
    public (DateTimeOffset Now, TimeSpan MaxLifetime)? Prune { get; init; }

    /// <summary>Completed with the rows changed, once the batch holding this write has committed.</summary>
    public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
