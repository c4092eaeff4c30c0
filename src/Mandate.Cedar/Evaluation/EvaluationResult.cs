using Mandate.Cedar.Values;

namespace Mandate.Cedar.Evaluation;

/// <summary>The outcome of evaluating one expression: a value, or an error message.</summary>
public readonly record struct EvaluationResult
{
    private EvaluationResult(Value? value, string? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value, when evaluation succeeded.</summary>
    public Value? Value { get; }

    /// <summary>The error message, when evaluation failed.</summary>
    public string? Error { get; }

    /// <summary>Whether evaluation succeeded.</summary>
    public bool IsSuccess => Value is not null;

    /// <summary>A successful result.</summary>
    public static EvaluationResult Success(Value value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static EvaluationResult Failure(string error) => new(null, error);

    /// <inheritdoc />
    public override string ToString() => Value?.ToString() ?? $"error: {Error}";
}
