using Mandate.Core.Errors;

namespace Mandate.Core.Decisions;

/// <summary>A reason a policy set could not be compiled, with its location.</summary>
/// <param name="Code">Stable code, e.g. <c>policy.parse</c>, <c>policy.validation</c>, <c>entities.parse</c>.</param>
/// <param name="Message">Short lowercase message for a person.</param>
/// <param name="Path">The file the problem is in, if any.</param>
/// <param name="Line">1-based line, if known.</param>
public sealed record PolicyProblem(ErrorCode Code, string Message, string? Path = null, int? Line = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        (Path is null ? "" : Line is null ? $"{Path}: " : $"{Path}:{Line}: ") + $"{Message} ({Code.Code})";
}
