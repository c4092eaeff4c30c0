namespace Mandate.Core.Audit.Segments;

/// <summary>Settings of the segment log (<see cref="SegmentAuditLog"/>). Immutable.</summary>
public sealed record SegmentLogOptions
{
    /// <summary>The data directory; the log lives in its <c>audit/</c> folder and the signing key beside it. Required.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The node name written into segment headers.</summary>
    public string Node { get; init; } = Environment.MachineName;

    /// <summary>A new segment is started once the current one holds this many bytes. Default 64 MiB.</summary>
    public long SegmentBytes { get; init; } = 64L << 20;

    /// <summary>Records appended in the process-crash class are fsync'd at least this often (while there are any).
    /// Default 1 s: the most a power cut can take of what was acknowledged in that class.</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A signed checkpoint after this many records. Default 1000.</summary>
    public int CheckpointEvery { get; init; } = 1000;

    /// <summary>A signed checkpoint at least this often while new records exist. Default 10 s.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest an append waits before it answers <c>audit.timeout</c>. Default 5 s.</summary>
    public TimeSpan AppendTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most records written in one <c>write</c>. Default 1024.</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>Most appends waiting for the writer; beyond it appends fail with <c>audit.overloaded</c>. Default 65536.</summary>
    public int MaxPending { get; init; } = 65536;

    /// <summary>The durability class of an append that names none (<see cref="IAuditLog.AppendAsync(AuditEvent, CancellationToken)"/>).</summary>
    public AuditDurability DefaultDurability { get; init; } = AuditDurability.ProcessCrash;

    /// <summary>The log's folder.</summary>
    public string Folder => SegmentFiles.Folder(DataDirectory);
}
