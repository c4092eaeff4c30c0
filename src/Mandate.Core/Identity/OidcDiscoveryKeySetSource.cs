using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>
/// An OIDC issuer's keys: the discovery document names <c>jwks_uri</c> (its <c>issuer</c> must equal the
/// configured one, OIDC Discovery §4.3), then the JWKS is fetched. An explicit JWKS URL skips discovery.
/// </summary>
internal sealed class OidcDiscoveryKeySetSource(OidcIssuerOptions options, DocumentFetcher fetcher) : IKeySetSource
{
    // Discovered once and reused; forgotten when a JWKS fetch fails, so a moved jwks_uri is found again.
    private volatile Uri? _jwksUrl = options.JwksUrl;

    public async Task<KeySetFetch> FetchAsync(CancellationToken cancellationToken)
    {
        var jwksUrl = _jwksUrl;
        if (jwksUrl is null)
        {
            var (discovered, error) = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
            if (discovered is null)
            {
                return KeySetFetch.Failure(error!);
            }
            jwksUrl = discovered;
        }

        var (body, fetchError) = await fetcher.GetAsync(jwksUrl, options.RequireHttps, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            _jwksUrl = options.JwksUrl;
            return KeySetFetch.Failure(fetchError!);
        }
        if (!JsonWebKeySetReader.TryRead(body, "sig", useRequired: false, out var keys, out var readError))
        {
            _jwksUrl = options.JwksUrl;
            return KeySetFetch.Failure($"the key set at `{jwksUrl}` is unusable: {readError!.Message}");
        }
        if (keys.Keys.Count == 0)
        {
            // An empty set would wipe the keys we have; keep them and report instead.
            return KeySetFetch.Failure($"the key set at `{jwksUrl}` holds no usable signing key");
        }
        _jwksUrl = jwksUrl;
        return KeySetFetch.Success(keys);
    }

    private async Task<(Uri? JwksUrl, string? Error)> DiscoverAsync(CancellationToken cancellationToken)
    {
        var url = options.EffectiveDiscoveryUrl;
        var (body, error) = await fetcher.GetAsync(url, options.RequireHttps, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, error);
        }
        if (!StrictJson.TryParseObject(body, "discovery document", out var document, out var parseError))
        {
            return (null, $"the discovery document at `{url}` is unusable: {parseError!.Message}");
        }
        if (!document.TryGetProperty("issuer", out var issuer) || issuer.ValueKind != JsonValueKind.String || issuer.GetString() != options.Issuer)
        {
            return (null, $"the discovery document at `{url}` names another issuer");
        }
        if (!document.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var jwksUrl))
        {
            return (null, $"the discovery document at `{url}` has no absolute `jwks_uri`");
        }
        if (!DocumentFetcher.IsAllowedUrl(jwksUrl, options.RequireHttps))
        {
            return (null, $"the discovery document at `{url}` names a `jwks_uri` that is not https");
        }
        return (jwksUrl, null);
    }
}
