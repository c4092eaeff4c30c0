using Mandate.Core.Audit;

namespace Mandate.Server.Configuration;

// `audit` and `vault`: the audit log's durability class and cadence, and where the vault's key is.
public sealed partial class MandateConfigValidator
{
    private const int MaxSyncIntervalMs = 60_000;
    private const int MaxSegmentMiB = 4096;

    private AuditConfig Audit(AuditDocument? a) => new(
        PositiveInt(a?.CheckpointEvery, "audit.checkpointEvery", 1000),
        PositiveInt(a?.CheckpointSeconds, "audit.checkpointSeconds", 60))
    {
        Durability = Durability(a?.Durability, "audit.durability"),
        SyncInterval = TimeSpan.FromMilliseconds(Bounded(a?.SyncIntervalMs, "audit.syncIntervalMs", 1000, MaxSyncIntervalMs)),
        SegmentBytes = (long)Bounded(a?.SegmentMiB, "audit.segmentMiB", 64, MaxSegmentMiB) << 20,
    };

    // `process_crash` (default) or `power_loss`: the durability class of a route, a tool, or the whole log.
    private AuditDurability Durability(string? value, string path) => value switch
    {
        null => AuditDurability.ProcessCrash,
        _ when AuditDurabilityNames.Parse(value) is { } parsed => parsed,
        var other => Invalid(path, $"`{other}` is not one of {AuditDurabilityNames.ProcessCrash}, {AuditDurabilityNames.PowerLoss}", AuditDurability.ProcessCrash),
    };

    private string? VaultKeyFile(VaultDocument? v) => v?.KeyFile is { } keyFile ? ExistingFile(keyFile, "vault.keyFile") : null;
}
