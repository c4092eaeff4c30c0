namespace Mandate.Server.Snapshots;

/// <summary>
/// The one reference to the active snapshot. Readers take it without a lock; a reload replaces it
/// with a single volatile write, so every request sees either the old or the new snapshot, whole.
/// </summary>
public sealed class SnapshotHolder
{
    private volatile GatewaySnapshot? _current;

    /// <summary>Creates a holder with an initial snapshot.</summary>
    public SnapshotHolder(GatewaySnapshot initial) => _current = initial;

    /// <summary>The active snapshot.</summary>
    public GatewaySnapshot Current => _current!;

    /// <summary>Replaces the active snapshot.</summary>
    public void Swap(GatewaySnapshot next) => _current = next;
}
