using System.Diagnostics.CodeAnalysis;

namespace Mandate.Core.OAuth;

/// <summary>The outcome of checking a DPoP proof: the key's thumbprint, or why the proof is refused.</summary>
public sealed class DpopCheck
{
    private DpopCheck(string? thumbprint, OAuthError? error)
    {
        Thumbprint = thumbprint;
        Error = error;
    }

    /// <summary>True when the proof is valid.</summary>
    [MemberNotNullWhen(true, nameof(Thumbprint))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Ok => Thumbprint is not null;

    /// <summary>The RFC 7638 thumbprint of the proof's key (compare with <c>cnf.jkt</c>).</summary>
    public string? Thumbprint { get; }

    /// <summary>Why the proof was refused (<see cref="OAuthErrorCodes.InvalidDpopProof"/>).</summary>
    public OAuthError? Error { get; }

    /// <summary>A valid proof.</summary>
    public static DpopCheck Valid(string thumbprint) => new(thumbprint, null);

    /// <summary>A refused proof.</summary>
    public static DpopCheck Invalid(string description) => new(null, new OAuthError(OAuthErrorCodes.InvalidDpopProof, description));
}
