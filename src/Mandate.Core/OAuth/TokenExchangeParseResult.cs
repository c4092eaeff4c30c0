using System.Diagnostics.CodeAnalysis;

namespace Mandate.Core.OAuth;

/// <summary>Either a parsed <see cref="TokenExchangeRequest"/> or the <see cref="OAuthError"/> to answer with.</summary>
/// <param name="Request">The request, when every rule held.</param>
/// <param name="Error">Why it was refused, otherwise.</param>
public sealed record TokenExchangeParseResult(TokenExchangeRequest? Request, OAuthError? Error)
{
    /// <summary>True when <see cref="Request"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Request))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Ok => Request is not null;
}
