using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>
/// Step 1 "Identify" of the enforcement path: turns a bearer token (OIDC JWT or SPIFFE JWT-SVID) or a
/// client certificate (X.509-SVID) into an <see cref="AgentIdentity"/>, or an <see cref="IdentityError"/>.
/// Thread-safe; build one per configuration and share it.
/// </summary>
/// <remarks>
/// Order of checks for a bearer token: size cap → verified-token cache → strict compact parse (base64url,
/// JSON without repeated names, header rules) → route by the unverified <c>iss</c> (or a SPIFFE <c>sub</c>)
/// → that issuer's header rules → its cached keys (refreshed once, rate limited, for an unknown <c>kid</c>)
/// → signature → <c>iss</c>/<c>aud</c>/<c>exp</c>/<c>nbf</c>/<c>iat</c> → identity mapping → cache.
/// </remarks>
public sealed class AgentAuthenticator : IDisposable
{
    private readonly Dictionary<string, IssuerEntry> _issuers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrustDomainEntry> _trustDomains = new(StringComparer.Ordinal);
    private readonly X509SvidValidator _x509;
    private readonly Dictionary<string, X509TrustBundle> _x509Bundles = new(StringComparer.Ordinal);
    private readonly VerifiedTokenCache _verified;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly JwsVerificationPolicy _routingPolicy;
    private long _signatureChecks;

    /// <summary>Builds an authenticator. Throws <see cref="ArgumentException"/> listing every configuration problem.</summary>
    /// <param name="options">What to trust.</param>
    /// <param name="httpClient">Used for discovery, JWKS and bundle fetches (e.g. <c>IHttpClientFactory.CreateClient("mandate-identity")</c>). Not disposed here.</param>
    /// <param name="timeProvider">The clock for token times, certificate validity and cache ages.</param>
    public AgentAuthenticator(AgentAuthenticatorOptions options, HttpClient httpClient, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var problems = AgentAuthenticatorOptionsValidator.Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid identity configuration:\n  " + string.Join("\n  ", problems), nameof(options));
        }

        _time = timeProvider;
        var fetcher = new DocumentFetcher(httpClient, options.FetchTimeout, options.MaxDocumentBytes);
        foreach (var issuer in options.Issuers)
        {
            var policy = new JwsVerificationPolicy(issuer.Algorithms.ToHashSet(StringComparer.Ordinal), JwsVerificationPolicy.OidcTypes, issuer.MaxTokenBytes, JwsPayloadKind.JsonClaims);
            var keys = new KeySetCache(issuer.Issuer, new OidcDiscoveryKeySetSource(issuer, fetcher),
                new KeySetRefreshPolicy(issuer.RefreshInterval, issuer.MaxStaleness, issuer.MinRefreshInterval), timeProvider, _shutdown.Token);
            _issuers.Add(issuer.Issuer, new IssuerEntry(issuer, policy, new JwtClaimRules(issuer.Issuer, issuer.Audiences, issuer.ClockSkew), keys));
        }
        foreach (var domain in options.TrustDomains)
        {
            if (domain.BundleUrl is not null || domain.BundlePath is not null)
            {
                var policy = new JwsVerificationPolicy(domain.Algorithms.ToHashSet(StringComparer.Ordinal), JwsVerificationPolicy.SpiffeTypes, domain.MaxTokenBytes, JwsPayloadKind.JsonClaims);
                var keys = new KeySetCache("spiffe://" + domain.TrustDomain, new SpiffeBundleKeySetSource(domain, fetcher, options.MaxDocumentBytes),
                    new KeySetRefreshPolicy(domain.RefreshInterval, domain.MaxStaleness, domain.MinRefreshInterval), timeProvider, _shutdown.Token);
                _trustDomains.Add(domain.TrustDomain, new TrustDomainEntry(domain, policy, new JwtClaimRules(null, [domain.Audience!], domain.ClockSkew), keys));
            }
            if (domain.X509BundlePath is { } pem)
            {
                _x509Bundles.Add(domain.TrustDomain, new X509TrustBundle(domain.TrustDomain, pem, domain.RefreshInterval, domain.MaxStaleness, domain.ClockSkew, timeProvider));
            }
        }
        foreach (var cache in _issuers.Values.Select(i => i.Keys).Concat(_trustDomains.Values.Select(d => d.Keys)))
        {
            cache.StartPeriodicRefresh();
        }
        _x509 = new X509SvidValidator(_x509Bundles, timeProvider);
        _verified = new VerifiedTokenCache(options.VerifiedTokenCacheCapacity, timeProvider);

        // The first parse, before routing, uses the widest rules any issuer allows; the issuer's own rules follow.
        var allIssuers = _issuers.Values.Select(i => i.Policy).Concat(_trustDomains.Values.Select(d => d.Policy)).ToList();
        _routingPolicy = new JwsVerificationPolicy(
            allIssuers.SelectMany(p => p.AllowedAlgorithms).ToHashSet(StringComparer.Ordinal),
            allIssuers.SelectMany(p => p.AcceptedTypes).ToHashSet(StringComparer.OrdinalIgnoreCase),
            allIssuers.Count == 0 ? 8 * 1024 : allIssuers.Max(p => p.MaxTokenBytes),
            JwsPayloadKind.JsonClaims);
    }

    /// <summary>Whether any key fetch is running now (tests wait on it before moving a fake clock again).</summary>
    internal bool RefreshInFlight =>
        _issuers.Values.Any(i => i.Keys.RefreshInFlight) || _trustDomains.Values.Any(d => d.Keys.RefreshInFlight);

    /// <summary>True when every issuer and trust domain holds keys (and X.509 roots) within their staleness bound. Use as the readiness probe.</summary>
    public bool IsReady =>
        _issuers.Values.All(i => i.Keys.IsReady)
        && _trustDomains.Values.All(d => d.Keys.IsReady)
        && _x509Bundles.Values.All(b => b.IsReady);

    /// <summary>How many signatures were checked (cache hits check none). For metrics and tests.</summary>
    public long SignatureChecks => Interlocked.Read(ref _signatureChecks);

    /// <summary>
    /// Fetches every key set and bundle now, ignoring rate limits: call at start-up (warm-up) and from an
    /// operator action. Returns the failures, each message naming its issuer; empty when all succeeded.
    /// </summary>
    public async Task<IReadOnlyList<IdentityError>> RefreshKeysAsync(CancellationToken cancellationToken)
    {
        var caches = _issuers.Values.Select(i => i.Keys).Concat(_trustDomains.Values.Select(d => d.Keys)).ToList();
        var results = await Task.WhenAll(caches.Select(c => c.RefreshAsync(cancellationToken))).ConfigureAwait(false);
        var errors = results.Where(e => e is not null).Select(e => e!).ToList();
        errors.AddRange(_x509Bundles.Values.Select(b => b.Reload()).Where(e => e is not null).Select(e => e!));
        return errors;
    }

    /// <summary>
    /// Identifies the agent behind a bearer token (without the <c>Bearer </c> prefix). Routes to the OIDC issuer
    /// named by the token's <c>iss</c>, or, when no issuer matches and <c>sub</c> is a SPIFFE ID, to its trust domain.
    /// Never throws except <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public ValueTask<IdentityResult> AuthenticateBearerAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken)
    {
        // A token verified before needs only its digest, taken where the token lies: no copy of it is made. Anything
        // else (a miss, an expired entry, an oversized token, a fault) takes the full path below, which re-checks
        // everything and turns a fault into a failure.
        try
        {
            if (!token.IsEmpty && token.Length <= _routingPolicy.MaxTokenBytes && _verified.TryGet(VerifiedTokenCache.Digest(token.Span), out var cached))
            {
                return ValueTask.FromResult(IdentityResult.Success(cached!));
            }
        }
        catch (Exception)
        {
            // Fall through: the full path meets the same fault inside its own boundary and answers internal_error.
        }

        return AuthenticateBearerAsync(token.ToString(), cancellationToken);
    }

    /// <inheritdoc cref="AuthenticateBearerAsync(ReadOnlyMemory{char}, CancellationToken)"/>
    public async ValueTask<IdentityResult> AuthenticateBearerAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            return await AuthenticateBearerCoreAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Fail closed: a fault on the decision path is a denial, never a pass.
            return IdentityResult.Failure(IdentityErrorCodes.InternalError, $"identification failed unexpectedly: {ex.GetType().Name}");
        }
    }

    /// <summary>
    /// Identifies the agent behind a client certificate presented over mTLS (X.509-SVID).
    /// <paramref name="extraChain"/> holds intermediates the client sent; roots always come from the bundle.
    /// </summary>
    public IdentityResult AuthenticateClientCertificate(X509Certificate2 leaf, X509Certificate2Collection? extraChain)
    {
        if (leaf is null)
        {
            return IdentityResult.Failure(IdentityErrorCodes.MissingToken, "no client certificate was presented");
        }
        try
        {
            return _x509.Validate(leaf, extraChain);
        }
        catch (Exception ex)
        {
            return IdentityResult.Failure(IdentityErrorCodes.CertificateInvalid, $"the certificate could not be validated: {ex.GetType().Name}");
        }
    }

    /// <summary>Stops periodic and background key fetches.</summary>
    public void Dispose()
    {
        foreach (var cache in _issuers.Values.Select(i => i.Keys).Concat(_trustDomains.Values.Select(d => d.Keys)))
        {
            cache.StopPeriodicRefresh();
        }
        _shutdown.Cancel();
        _shutdown.Dispose();
    }

    private async ValueTask<IdentityResult> AuthenticateBearerCoreAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return IdentityResult.Failure(IdentityErrorCodes.MissingToken, "no bearer token was presented");
        }
        if (token.Length > _routingPolicy.MaxTokenBytes)
        {
            return IdentityResult.Failure(IdentityErrorCodes.TokenTooLarge, $"the token is longer than {_routingPolicy.MaxTokenBytes} bytes");
        }

        var digest = VerifiedTokenCache.Digest(token);
        if (_verified.TryGet(digest, out var cached))
        {
            return IdentityResult.Success(cached!);
        }

        if (!JwsParser.TryParse(token, _routingPolicy, out var jws, out var error))
        {
            return IdentityResult.Failure(error!);
        }

        var claims = jws!.Claims;
        if (claims.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String && _issuers.TryGetValue(iss.GetString()!, out var issuer))
        {
            return await AuthenticateOidcAsync(issuer, jws, digest, cancellationToken).ConfigureAwait(false);
        }
        if (claims.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String && sub.GetString()!.StartsWith("spiffe://", StringComparison.Ordinal))
        {
            if (SpiffeId.TryParse(sub.GetString()) is not { } spiffeId || spiffeId.Path.Length == 0)
            {
                return IdentityResult.Failure(IdentityErrorCodes.SpiffeIdInvalid, "the token's `sub` is not a valid SPIFFE ID of a workload");
            }
            if (!_trustDomains.TryGetValue(spiffeId.TrustDomain, out var domain))
            {
                return IdentityResult.Failure(IdentityErrorCodes.UnknownIssuer, "the token's SPIFFE trust domain is not trusted");
            }
            return await AuthenticateSpiffeAsync(domain, spiffeId, jws, digest, cancellationToken).ConfigureAwait(false);
        }
        return IdentityResult.Failure(IdentityErrorCodes.UnknownIssuer, "the token's issuer is not trusted");
    }

    private async ValueTask<IdentityResult> AuthenticateOidcAsync(IssuerEntry issuer, ParsedJws jws, TokenDigest digest, CancellationToken cancellationToken)
    {
        var (key, error) = await VerifyAsync(jws, issuer.Policy, issuer.Keys, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return IdentityResult.Failure(error);
        }
        if (!issuer.Rules.TryValidate(jws.Claims, _time.GetUtcNow(), out var expiresAt, out error))
        {
            return IdentityResult.Failure(error!);
        }
        if (!AgentIdentityMapper.TryMapOidc(jws.Claims, issuer.Options.Issuer, issuer.Options.AgentClaim, expiresAt, out var identity, out error))
        {
            return IdentityResult.Failure(error!);
        }
        _verified.Add(digest, new VerifiedTokenCache.Entry(identity!, expiresAt + issuer.Options.ClockSkew, issuer.Keys, key!.Fingerprint));
        return IdentityResult.Success(identity!);
    }

    private async ValueTask<IdentityResult> AuthenticateSpiffeAsync(TrustDomainEntry domain, SpiffeId spiffeId, ParsedJws jws, TokenDigest digest, CancellationToken cancellationToken)
    {
        var (key, error) = await VerifyAsync(jws, domain.Policy, domain.Keys, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return IdentityResult.Failure(error);
        }
        if (!domain.Rules.TryValidate(jws.Claims, _time.GetUtcNow(), out var expiresAt, out error))
        {
            return IdentityResult.Failure(error!);
        }
        if (!AgentIdentityMapper.TryMapSpiffe(jws.Claims, spiffeId, expiresAt, out var identity, out error))
        {
            return IdentityResult.Failure(error!);
        }
        _verified.Add(digest, new VerifiedTokenCache.Entry(identity!, expiresAt + domain.Options.ClockSkew, domain.Keys, key!.Fingerprint));
        return IdentityResult.Success(identity!);
    }

    /// <summary>The issuer's own header rules and size cap, then its keys, then the signature.</summary>
    private async ValueTask<(VerificationKey? Key, IdentityError? Error)> VerifyAsync(ParsedJws jws, JwsVerificationPolicy policy, KeySetCache keys, CancellationToken cancellationToken)
    {
        if (jws.Token.Length > policy.MaxTokenBytes)
        {
            return (null, new IdentityError(IdentityErrorCodes.TokenTooLarge, $"the token is longer than {policy.MaxTokenBytes} bytes"));
        }
        if (!JwsParser.CheckHeader(jws.Header, policy, out _, out _, out var error))
        {
            return (null, error);
        }
        var (keySet, keyError) = await keys.GetKeysAsync(jws.KeyId, cancellationToken).ConfigureAwait(false);
        if (keySet is null)
        {
            return (null, keyError);
        }
        Interlocked.Increment(ref _signatureChecks);
        return JwsVerifier.TryVerifySignature(jws, keySet, out var key, out error) ? (key, null) : (null, error);
    }

    private sealed record IssuerEntry(OidcIssuerOptions Options, JwsVerificationPolicy Policy, JwtClaimRules Rules, KeySetCache Keys);

    private sealed record TrustDomainEntry(SpiffeTrustDomainOptions Options, JwsVerificationPolicy Policy, JwtClaimRules Rules, KeySetCache Keys);
}
