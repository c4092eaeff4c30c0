using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Core.Identity;
using Mandate.Server.Configuration;

namespace Mandate.Server.Flow.Identify;

/// <summary>
/// The identify step over <see cref="AgentAuthenticator"/> (OIDC JWTs, SPIFFE JWT-SVIDs, X.509-SVIDs).
/// Maps the configuration's <c>identity</c> section to the authenticator's options and its
/// <see cref="AgentIdentity"/> to the decision path's <see cref="CallerIdentity"/>.
/// </summary>
public sealed class AgentCallerAuthenticator : ICallerAuthenticator, IDisposable
{
    private readonly AgentAuthenticator _authenticator;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _claimsToContext;

    // A cached token hands back the same AgentIdentity every time; its caller (claims included) is mapped once and
    // lives exactly as long as that identity stays cached.
    private readonly ConditionalWeakTable<AgentIdentity, IdentifyResult> _callers = new();

    /// <summary>Wraps an authenticator; <paramref name="claimsToContext"/> maps an issuer (or <c>spiffe://td</c>) to the claims it puts in the context.</summary>
    public AgentCallerAuthenticator(AgentAuthenticator authenticator, IReadOnlyDictionary<string, IReadOnlyList<string>>? claimsToContext = null)
    {
        _authenticator = authenticator;
        _claimsToContext = claimsToContext ?? new Dictionary<string, IReadOnlyList<string>>();
    }

    /// <summary>Builds the authenticator from configuration. Throws <see cref="ArgumentException"/> for options it refuses.</summary>
    public static AgentCallerAuthenticator Create(IdentityConfig identity, HttpClient httpClient, TimeProvider time) =>
        new(new AgentAuthenticator(Options(identity), httpClient, time), ClaimsToContext(identity));

    /// <summary>Issuer (<c>iss</c>, or <c>spiffe://td</c> for JWT-SVIDs) → the claims configured for <c>context.claims</c>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ClaimsToContext(IdentityConfig identity)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var o in identity.Oidc.Where(o => o.ClaimsToContext.Count > 0))
        {
            map[o.Issuer] = o.ClaimsToContext;
        }

        foreach (var s in identity.Spiffe.Where(s => s.ClaimsToContext.Count > 0))
        {
            map["spiffe://" + s.TrustDomain] = s.ClaimsToContext;
        }

        return map;
    }

    /// <summary>The authenticator options for a configuration's <c>identity</c> section.</summary>
    public static AgentAuthenticatorOptions Options(IdentityConfig identity) => new()
    {
        Issuers = identity.Oidc.Select(o => new OidcIssuerOptions
        {
            Issuer = o.Issuer,
            Audiences = o.Audiences,
            DiscoveryUrl = o.DiscoveryUrl,
            JwksUrl = o.JwksUrl,
            Algorithms = o.Algorithms,
            ClockSkew = o.ClockSkew,
            MaxStaleness = o.MaxStaleness,
            RefreshInterval = o.MaxStaleness < TimeSpan.FromMinutes(5) ? o.MaxStaleness : TimeSpan.FromMinutes(5),
            AgentClaim = o.AgentClaim ?? "sub",
            RequireHttps = !(IsLoopbackHttp(o.DiscoveryUrl) || IsLoopbackHttp(o.JwksUrl)),
        }).ToArray(),
        TrustDomains = identity.Spiffe.Select(s => new SpiffeTrustDomainOptions
        {
            TrustDomain = s.TrustDomain,
            BundleUrl = s.BundleUrl,
            BundlePath = s.BundleFile,
            Audience = s.Audience,
            X509BundlePath = s.X509Bundle,
            RequireHttps = !IsLoopbackHttp(s.BundleUrl),
        }).ToArray(),
    };

    /// <inheritdoc />
    public bool IsReady => _authenticator.IsReady;

    /// <summary>Fetches every key set now (start-up warm-up); returns failures as messages.</summary>
    public async Task<IReadOnlyList<string>> WarmUpAsync(CancellationToken cancellationToken) =>
        (await _authenticator.RefreshKeysAsync(cancellationToken)).Select(e => e.ToString()).ToArray();

    /// <inheritdoc />
    public ValueTask<IdentifyResult> AuthenticateBearerAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken)
    {
        var verifying = _authenticator.AuthenticateBearerAsync(token, cancellationToken);
        return verifying.IsCompletedSuccessfully
            ? ValueTask.FromResult(MapBearer(verifying.Result))
            : MapBearerAsync(verifying);
    }

    private async ValueTask<IdentifyResult> MapBearerAsync(ValueTask<IdentityResult> verifying) => MapBearer(await verifying);

    private IdentifyResult MapBearer(IdentityResult verified)
    {
        if (!verified.IsSuccess)
        {
            return Map(verified);
        }

        var identity = verified.Identity!;
        if (_callers.TryGetValue(identity, out var known))
        {
            return known;
        }

        var result = Map(verified);
        if (result.Caller is { } caller && _claimsToContext.TryGetValue(caller.Issuer, out var names))
        {
            // Only bearer tokens carry claims; an X.509-SVID never gets a `claims` member.
            result = IdentifyResult.Success(caller with { Claims = ClaimValue.Select(identity.Claims, names) });
        }

        _callers.AddOrUpdate(identity, result);
        return result;
    }

    /// <inheritdoc />
    public IdentifyResult AuthenticateCertificate(X509Certificate2 leaf, X509Certificate2Collection? chain) =>
        Map(_authenticator.AuthenticateClientCertificate(leaf, chain));

    /// <inheritdoc />
    public void Dispose() => _authenticator.Dispose();

    private static IdentifyResult Map(IdentityResult result) =>
        result.IsSuccess
            ? IdentifyResult.Success(new CallerIdentity(
                result.Identity.AgentId,
                result.Identity.Method,
                result.Identity.Issuer,
                result.Identity.User,
                result.Identity.DelegationChain,
                result.Identity.Scopes,
                result.Identity.ExpiresAt,
                result.Identity.TokenId))
            : IdentifyResult.Failure(ErrorCatalogue.ForTokenError(result.Error.Code), result.Error.Message);

    private static bool IsLoopbackHttp(Uri? uri) => uri is not null && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
}
