namespace Mandate.Core.OAuth;

/// <summary>
/// An OAuth protocol error as the wire carries it (RFC 6749 §5.2): a standard <see cref="Error"/> code and a
/// short description naming the parameter at fault. A value, never an exception.
/// </summary>
/// <param name="Error">One of <see cref="OAuthErrorCodes"/>.</param>
/// <param name="Description">A short lowercase sentence for a person; printable ASCII only (RFC 6749 §5.2).</param>
public sealed record OAuthError(string Error, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"{Error}: {Description}";
}
