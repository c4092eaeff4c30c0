namespace Mandate.Core.Mcp;

/// <summary>Where accepted tool fingerprints are kept. Implementations return errors as values; they do not throw for I/O.</summary>
public interface IToolPinStore
{
    /// <summary>The pin of <paramref name="tool"/> on <paramref name="server"/>; a null value when none is recorded.</summary>
    Task<ToolPinStoreResult<ToolPin?>> GetAsync(string server, string tool, CancellationToken ct = default);

    /// <summary>Records a pin only if none exists (trust on first use); the value is true when this call recorded it.</summary>
    Task<ToolPinStoreResult<bool>> AddAsync(string server, string tool, string hash, string acceptedBy, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Records or replaces a pin (an administrator accepting a definition).</summary>
    Task<ToolPinStoreResult<bool>> PutAsync(string server, string tool, string hash, string acceptedBy, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Every pin of <paramref name="server"/>, ordered by tool name.</summary>
    Task<ToolPinStoreResult<IReadOnlyList<ToolPin>>> ListAsync(string server, CancellationToken ct = default);
}
