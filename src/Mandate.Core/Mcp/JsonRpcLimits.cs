namespace Mandate.Core.Mcp;

/// <summary>Size limits applied to one JSON-RPC body before anything in it is trusted. Immutable.</summary>
/// <param name="MaxBytes">Largest body accepted, in bytes. Default 4 MiB.</param>
/// <param name="MaxDepth">Deepest nesting of arrays and objects, counting the body's own outer value as 1. Default 64.</param>
/// <param name="MaxBatch">Most messages one batch may hold. Default 32.</param>
public sealed record JsonRpcLimits(int MaxBytes = 4 * 1024 * 1024, int MaxDepth = 64, int MaxBatch = 32)
{
    /// <summary>
    /// Also refuse objects with two member names that differ only in letter case (<c>path</c> and <c>Path</c>).
    /// Default true: decoders that match names case-insensitively (Go's <c>encoding/json</c>, some .NET settings) may
    /// read the other one than the policy did.
    /// </summary>
    public bool RefuseCaseFoldedDuplicates { get; init; } = true;

    /// <summary>4 MiB, depth 64, batches of at most 32, case-folded duplicate names refused.</summary>
    public static JsonRpcLimits Default { get; } = new();
}
