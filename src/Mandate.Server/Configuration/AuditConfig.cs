namespace Mandate.Server.Configuration;

/// <summary><c>audit</c>: checkpoint cadence.</summary>
/// <param name="CheckpointEvery">A signed checkpoint every this many records (default 1000).</param>
/// <param name="CheckpointSeconds">…or every this many seconds (default 60).</param>
public sealed record AuditConfig(int CheckpointEvery, int CheckpointSeconds);
