namespace Mandate.Core.Decisions;

/// <summary>Whether an audit record is durable. A failure is a value: the caller answers 503 and forwards nothing.</summary>
public readonly record struct RecordResult
{
    private RecordResult(bool durable, string? receipt, string? error)
    {
        IsDurable = durable;
        Receipt = receipt;
        Error = error;
    }

    /// <summary>True when the record is on durable storage.</summary>
    public bool IsDurable { get; }

    /// <summary>A receipt (e.g. sequence number and hash), when durable.</summary>
    public string? Receipt { get; }

    /// <summary>Why the record is not durable.</summary>
    public string? Error { get; }

    /// <summary>The record is durable.</summary>
    public static RecordResult Durable(string receipt) => new(true, receipt, null);

    /// <summary>The record could not be made durable.</summary>
    public static RecordResult Failed(string error) => new(false, null, error);
}
