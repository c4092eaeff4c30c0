namespace Mandate.Server.Configuration;

// `audit` and `vault`: how often the audit log signs a checkpoint, and where the vault's key is.
public sealed partial class MandateConfigValidator
{
    private AuditConfig Audit(AuditDocument? a) => new(
        PositiveInt(a?.CheckpointEvery, "audit.checkpointEvery", 1000),
        PositiveInt(a?.CheckpointSeconds, "audit.checkpointSeconds", 60));

    private string? VaultKeyFile(VaultDocument? v) => v?.KeyFile is { } keyFile ? ExistingFile(keyFile, "vault.keyFile") : null;
}
