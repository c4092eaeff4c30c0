namespace Mandate.Core.Audit;

/// <summary>
/// What a record has survived when its append completes. Every record is written to the log file before the request it
/// gates is acted on; the class says whether the operating system alone holds it or the disk does.
/// </summary>
public enum AuditDurability
{
    /// <summary>
    /// The default: the append completes once a <c>write</c> to the log file has returned. The record is in the
    /// operating system's page cache and survives a crash (even <c>kill -9</c>) of Mandate, not a power cut or a kernel
    /// crash before the next <c>fsync</c> (one runs at least every <c>audit.syncIntervalMs</c>).
    /// </summary>
    ProcessCrash = 0,

    /// <summary>
    /// High-risk routes and tools: the append completes once an <c>fsync</c> that covers the record has returned, so the
    /// record survives a power cut too. Many records share one <c>fsync</c>.
    /// </summary>
    PowerLoss = 1,
}

/// <summary>The names the configuration, the policy annotation <c>@durability</c>, <c>/readyz</c> and
/// <c>mandate audit verify</c> use for <see cref="AuditDurability"/>.</summary>
public static class AuditDurabilityNames
{
    /// <summary><c>process_crash</c>.</summary>
    public const string ProcessCrash = "process_crash";

    /// <summary><c>power_loss</c>.</summary>
    public const string PowerLoss = "power_loss";

    /// <summary>The name of <paramref name="durability"/>.</summary>
    public static string Name(this AuditDurability durability) =>
        durability == AuditDurability.PowerLoss ? PowerLoss : ProcessCrash;

    /// <summary>Parses a name; null when it is neither.</summary>
    public static AuditDurability? Parse(string? name) => name switch
    {
        ProcessCrash => AuditDurability.ProcessCrash,
        PowerLoss => AuditDurability.PowerLoss,
        _ => null,
    };

    /// <summary>The stronger of two classes.</summary>
    public static AuditDurability Max(AuditDurability a, AuditDurability b) => a >= b ? a : b;
}
