namespace Mandate.Core.Vault;

/// <summary>A vault answer: a value, or an error. Never both.</summary>
public sealed record VaultResult<T>
{
    private VaultResult(T? value, VaultError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>True when there is a value.</summary>
    public bool Ok => Error is null;

    /// <summary>The value; default when failed.</summary>
    public T? Value { get; }

    /// <summary>The error; null when ok.</summary>
    public VaultError? Error { get; }

    /// <summary>A successful answer.</summary>
    public static VaultResult<T> Success(T value) => new(value, null);

    /// <summary>A failed answer.</summary>
    public static VaultResult<T> Failure(string code, string message) => new(default, new VaultError(code, message));

    /// <summary>A failed answer carrying an existing error.</summary>
    public static VaultResult<T> Failure(VaultError error) => new(default, error);
}
