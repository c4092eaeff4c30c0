using Mandate.Core.Audit;

namespace Mandate.Server.Configuration;

/// <summary><c>audit</c>: the log's durability class and cadence.</summary>
/// <param name="CheckpointEvery">A signed checkpoint every this many records (default 1000).</param>
/// <param name="CheckpointSeconds">…or every this many seconds (default 60).</param>
public sealed record AuditConfig(int CheckpointEvery, int CheckpointSeconds)
{
    /// <summary><c>durability</c>: the class of every record unless a route or tool asks for more — <c>process_crash</c>
    /// (default) or <c>power_loss</c>.</summary>
    public AuditDurability Durability { get; init; }

    /// <summary><c>syncIntervalMs</c>: records of the process-crash class are fsync'd at least this often (default 1000).</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>segmentMiB</c>: a new segment file once the current one holds this many MiB (default 64).</summary>
    public long SegmentBytes { get; init; } = 64L << 20;
}
