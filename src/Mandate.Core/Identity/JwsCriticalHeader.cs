using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>
/// The JOSE <c>crit</c> header (RFC 7515 §4.1.11), checked rule by rule. Mandate implements no critical extension, so
/// every token that carries <c>crit</c> is refused; the code says which rule: a <c>crit</c> that breaks the RFC's own
/// constraints (not a non-empty array of distinct names, a registered header name, a name absent from the header) is
/// <c>invalid_crit</c>; a well-formed one names an extension Mandate does not implement, <c>unsupported_crit</c>.
/// Messages never repeat the names the token lists.
/// </summary>
internal static class JwsCriticalHeader
{
    /// <summary>
    /// Header names defined by JWS (RFC 7515 §4.1), JWE (RFC 7516 §4.1) and JWA (RFC 7518 §4.6–4.8): a producer may
    /// not list them in <c>crit</c>, and a recipient may refuse a token that does (Mandate does).
    /// </summary>
    internal static readonly IReadOnlySet<string> Registered = new HashSet<string>(StringComparer.Ordinal)
    {
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    };

    /// <summary>Checks a present <c>crit</c>; always false today (no extension is implemented), with the rule that failed.</summary>
    public static bool TryCheck(JsonElement header, JsonElement crit, out IdentityError? error)
    {
        if (crit.ValueKind != JsonValueKind.Array)
        {
            error = Invalid("the header's `crit` is not an array of header names");
            return false;
        }

        if (crit.GetArrayLength() == 0)
        {
            error = Invalid("the header's `crit` is an empty list, which RFC 7515 §4.1.11 forbids");
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in crit.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } name)
            {
                error = Invalid("the header's `crit` holds something other than a header name");
                return false;
            }

            if (!seen.Add(name))
            {
                error = Invalid("the header's `crit` names a header twice");
                return false;
            }

            if (Registered.Contains(name))
            {
                error = Invalid("the header's `crit` names a header registered by JWS, JWE or JWA, which is never critical");
                return false;
            }

            if (!header.TryGetProperty(name, out _))
            {
                error = Invalid("the header's `crit` names a header the token does not carry");
                return false;
            }
        }

        // INVARIANT: Mandate understands no extension; a token whose meaning depends on one is never accepted.
        error = new IdentityError(IdentityErrorCodes.UnsupportedCritical, "the header marks an extension critical that Mandate does not implement");
        return false;
    }

    private static IdentityError Invalid(string message) => new(IdentityErrorCodes.InvalidCritical, message);
}
