namespace Mandate.Core.Identity;

/// <summary>
/// Why an agent could not be identified. <see cref="Code"/> is stable (see <see cref="IdentityErrorCodes"/>)
/// and safe to show an agent; <see cref="Message"/> is for a person and may name the offending input.
/// </summary>
/// <param name="Code">A stable, lowercase, snake_case code, one of <see cref="IdentityErrorCodes"/>.</param>
/// <param name="Message">A short lowercase explanation for a person.</param>
public sealed record IdentityError(string Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
