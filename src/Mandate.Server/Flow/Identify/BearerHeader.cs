using Mandate.Core.Errors;
using Microsoft.Extensions.Primitives;

namespace Mandate.Server.Flow.Identify;

/// <summary>Reads the bearer token from the <c>Authorization</c> header(s) of a request, strictly.</summary>
public static class BearerHeader
{
    /// <summary>Largest token accepted (bytes); larger ones are refused before any parsing.</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>The outcome of reading the header.</summary>
    /// <param name="Token">The token, when there is exactly one well-formed bearer header: a slice of the header value,
    /// not a copy (empty otherwise).</param>
    /// <param name="Present">True when any Authorization header was sent.</param>
    /// <param name="ErrorCode">Why the header is unusable (its status is the catalogue's: 400 for several credentials, 401 otherwise).</param>
    /// <param name="ErrorMessage">Message for the caller.</param>
    public readonly record struct Reading(ReadOnlyMemory<char> Token, bool Present, ErrorCode? ErrorCode, string? ErrorMessage)
    {
        /// <summary>True when the header holds one well-formed bearer token.</summary>
        public bool HasToken => ErrorCode is null && !Token.IsEmpty;
    }

    /// <summary>Reads the header values as received (Kestrel keeps repeated headers as several values).</summary>
    public static Reading Read(StringValues values)
    {
        if (values.Count == 0)
        {
            return new Reading(default, false, null, null);
        }

        if (values.Count > 1)
        {
            return new Reading(default, true, ErrorCatalogue.IdentityDuplicateAuthorization, "exactly one authorization header is allowed");
        }

        var value = values[0] ?? "";
        if (value.Contains(','))
        {
            // A comma means several credentials folded into one header by an intermediary.
            return new Reading(default, true, ErrorCatalogue.IdentityDuplicateAuthorization, "exactly one authorization credential is allowed");
        }

        const string scheme = "Bearer ";
        if (value.Length <= scheme.Length || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return new Reading(default, true, ErrorCatalogue.IdentityUnsupportedScheme, "the authorization header must be `Bearer <token>`");
        }

        var token = value.AsMemory(scheme.Length);
        if (token.Length > MaxTokenLength)
        {
            return new Reading(default, true, ErrorCatalogue.IdentityTokenTooLarge, "the token is too large");
        }

        foreach (var c in token.Span)
        {
            // RFC 6750 b64token characters.
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '='))
            {
                return new Reading(default, true, ErrorCatalogue.IdentityMalformedToken, "the bearer token has characters a token cannot have");
            }
        }

        return new Reading(token, true, null, null);
    }
}
