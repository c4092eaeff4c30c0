using System.Diagnostics.CodeAnalysis;

namespace Mandate.Core.Identity;

/// <summary>Either an <see cref="AgentIdentity"/> or an <see cref="IdentityError"/>. Failures are values, never exceptions.</summary>
public sealed class IdentityResult
{
    private IdentityResult(AgentIdentity? identity, IdentityError? error)
    {
        Identity = identity;
        Error = error;
    }

    /// <summary>True when the agent was identified; then <see cref="Identity"/> is set and <see cref="Error"/> is null.</summary>
    [MemberNotNullWhen(true, nameof(Identity))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Identity is not null;

    /// <summary>The identified agent, or null on failure.</summary>
    public AgentIdentity? Identity { get; }

    /// <summary>Why identification failed, or null on success.</summary>
    public IdentityError? Error { get; }

    /// <summary>A successful identification.</summary>
    public static IdentityResult Success(AgentIdentity identity) =>
        new(identity ?? throw new ArgumentNullException(nameof(identity)), null);

    /// <summary>A failed identification.</summary>
    public static IdentityResult Failure(IdentityError error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>A failed identification with the given code and message.</summary>
    public static IdentityResult Failure(string code, string message) => Failure(new IdentityError(code, message));

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"success: {Identity.AgentId}" : $"failure: {Error}";
}
