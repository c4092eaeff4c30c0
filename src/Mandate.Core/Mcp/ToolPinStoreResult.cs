namespace Mandate.Core.Mcp;

/// <summary>A pin store answer: a value or an error.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class ToolPinStoreResult<T>
{
    private ToolPinStoreResult(T? value, ToolPinStoreError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when <see cref="Ok"/>.</summary>
    public T? Value { get; }

    /// <summary>The error when not <see cref="Ok"/>.</summary>
    public ToolPinStoreError? Error { get; }

    /// <summary>True when the operation succeeded.</summary>
    public bool Ok => Error is null;

    /// <summary>Success.</summary>
    public static ToolPinStoreResult<T> Success(T? value) => new(value, null);

    /// <summary>Failure.</summary>
    public static ToolPinStoreResult<T> Failure(string code, string message) => new(default, new ToolPinStoreError(code, message));
}
