namespace Mandate.Core.Audit;

/// <summary>The flags byte of a binary record.</summary>
[Flags]
public enum AuditRecordFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>The record starts a block: readers forget the interned strings before reading it.</summary>
    BlockStart = 1,

    /// <summary>The record was appended in the power-loss class (its append waited for an fsync).</summary>
    PowerLoss = 2,
}
