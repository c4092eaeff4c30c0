namespace Mandate.Server.Snapshots;

/// <summary>The result of building a snapshot: the snapshot, or every problem found.</summary>
/// <param name="Snapshot">The new snapshot, when everything was valid.</param>
/// <param name="Problems">Human-readable problems (with file, path and line where known).</param>
public sealed record SnapshotBuild(GatewaySnapshot? Snapshot, IReadOnlyList<string> Problems);
