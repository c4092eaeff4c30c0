using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mandate.Core.Identity;

/// <summary>
/// A trust domain's X.509 CA certificates, read from a PEM file and re-read after the refresh interval
/// (bundles rotate). A failed re-read keeps the last good roots until the staleness bound.
/// </summary>
internal sealed class X509TrustBundle(string trustDomain, string path, TimeSpan refreshInterval, TimeSpan maxStaleness, TimeSpan clockSkew, TimeProvider time)
{
    private sealed record Loaded(X509Certificate2Collection Roots, DateTimeOffset LoadedAt, IdentityError? LastError, DateTimeOffset LastAttemptAt);

    private volatile Loaded? _loaded;

    /// <summary>Tolerance for certificate validity.</summary>
    public TimeSpan ClockSkew => clockSkew;

    /// <summary>True when roots are loaded and not past the staleness bound.</summary>
    public bool IsReady => _loaded is { } l && l.Roots.Count > 0 && time.GetUtcNow() - l.LoadedAt <= maxStaleness;

    /// <summary>Reads the PEM file now.</summary>
    public IdentityError? Reload()
    {
        var now = time.GetUtcNow();
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            if (roots.Count == 0)
            {
                return Remember(now, $"the X.509 bundle `{path}` holds no certificate");
            }
            _loaded = new Loaded(roots, now, null, now);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return Remember(now, $"the X.509 bundle `{path}` could not be read: {ex.Message}");
        }
    }

    /// <summary>The roots to chain to, reloading when due.</summary>
    public bool TryGetRoots(out X509Certificate2Collection roots, out IdentityError? error)
    {
        var now = time.GetUtcNow();
        var loaded = _loaded;
        if (loaded is null || (now - loaded.LoadedAt >= refreshInterval && now - loaded.LastAttemptAt >= TimeSpan.FromSeconds(1)))
        {
            Reload();
            loaded = _loaded;
        }
        if (loaded is null || loaded.Roots.Count == 0)
        {
            roots = [];
            error = new IdentityError(IdentityErrorCodes.JwksUnavailable, $"the X.509 bundle of `{trustDomain}` is not available: {loaded?.LastError?.Message}");
            return false;
        }
        if (now - loaded.LoadedAt > maxStaleness)
        {
            roots = [];
            error = new IdentityError(IdentityErrorCodes.JwksStale, $"the X.509 bundle of `{trustDomain}` is stale: {loaded.LastError?.Message}");
            return false;
        }
        roots = loaded.Roots;
        error = null;
        return true;
    }

    private IdentityError Remember(DateTimeOffset now, string message)
    {
        var error = new IdentityError(IdentityErrorCodes.JwksUnavailable, message);
        _loaded = _loaded is { } previous
            ? previous with { LastError = error, LastAttemptAt = now }
            : new Loaded([], DateTimeOffset.MinValue, error, now);
        return error;
    }
}
