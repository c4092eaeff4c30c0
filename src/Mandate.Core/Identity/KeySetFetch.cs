namespace Mandate.Core.Identity;

/// <summary>The outcome of one key set fetch: keys, or why there are none.</summary>
internal sealed record KeySetFetch(VerificationKeySet? Keys, IdentityError? Error)
{
    public static KeySetFetch Success(VerificationKeySet keys) => new(keys, null);

    public static KeySetFetch Failure(string message) => new(null, new IdentityError(IdentityErrorCodes.JwksUnavailable, message));
}
