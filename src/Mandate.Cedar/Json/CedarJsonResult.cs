namespace Mandate.Cedar.Json;

/// <summary>The outcome of reading Cedar JSON: a value, or every error found (never both).</summary>
public sealed class CedarJsonResult<T> where T : class
{
    private CedarJsonResult(T? value, IReadOnlyList<CedarJsonError> errors)
    {
        Value = value;
        Errors = errors;
    }

    /// <summary>The value read, when there were no errors.</summary>
    public T? Value { get; }

    /// <summary>The errors, empty on success.</summary>
    public IReadOnlyList<CedarJsonError> Errors { get; }

    /// <summary>Whether reading succeeded.</summary>
    public bool Success => Value is not null;

    internal static CedarJsonResult<T> Ok(T value) => new(value, []);

    internal static CedarJsonResult<T> Fail(IReadOnlyList<CedarJsonError> errors) => new(null, errors);

    internal static CedarJsonResult<T> From(T? value, List<CedarJsonError> errors) =>
        errors.Count > 0 || value is null ? new(null, errors) : new(value, []);
}
