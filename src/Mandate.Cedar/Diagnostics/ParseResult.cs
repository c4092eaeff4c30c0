using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Mandate.Cedar.Diagnostics;

/// <summary>
/// Either a value or the diagnostics that prevented it; never both. Bad input is a value of
/// this type, not an exception.
/// </summary>
public sealed class ParseResult<T>
    where T : class
{
    private ParseResult(T? value, ImmutableArray<CedarDiagnostic> diagnostics)
    {
        Value = value;
        Diagnostics = diagnostics;
    }

    /// <summary>The parsed value; null exactly when <see cref="Diagnostics"/> is non-empty.</summary>
    public T? Value { get; }

    /// <summary>Every problem found, in source order.</summary>
    public ImmutableArray<CedarDiagnostic> Diagnostics { get; }

    /// <summary>Whether a value was produced.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Value is not null;

    /// <summary>A successful result.</summary>
    public static ParseResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), []);

    /// <summary>A failed result; at least one diagnostic is required.</summary>
    public static ParseResult<T> Failure(IEnumerable<CedarDiagnostic> diagnostics)
    {
        var list = diagnostics.ToImmutableArray();
        if (list.IsEmpty) throw new ArgumentException("a failure needs at least one diagnostic", nameof(diagnostics));
        return new(null, list);
    }

    /// <summary>The value, or throws with the diagnostics; for tests and tools that cannot go on.</summary>
    public T GetValueOrThrow() =>
        Value ?? throw new InvalidOperationException(string.Join(Environment.NewLine, Diagnostics));
}
