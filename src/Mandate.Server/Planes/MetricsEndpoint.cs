using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Errors;
using Mandate.Server.Fronts.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Planes;

/// <summary>
/// The gate in front of the control plane's Prometheus scrape endpoint, <c>GET /metrics</c> (served by OpenTelemetry's
/// exporter): when <c>observability.metrics.scrapeTokenFile</c> is set, a scrape must carry
/// <c>Authorization: Bearer &lt;that token&gt;</c> (compared in constant time), never the admin token, so Prometheus'
/// configuration holds no admin power. The control plane's own requests are left out of <c>http.server.*</c>, so those
/// series describe the data plane only.
/// </summary>
public sealed class MetricsEndpoint
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    private readonly byte[]? _tokenHash;

    /// <summary>Creates the gate; <paramref name="scrapeToken"/> null lets any scrape through.</summary>
    public MetricsEndpoint(string? scrapeToken)
    {
        _tokenHash = scrapeToken is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(scrapeToken));
    }

    /// <summary>True for a scrape request.</summary>
    public static bool IsScrape(HttpContext context) => context.Request.Path == Path;

    /// <summary>Runs before the exporter: refuses a scrape without the token (401), passes everything else on.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.MetricsDisabled = true;
        }

        if (!IsScrape(context) || IsAuthorized(context))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mandate-metrics\"";
        return ProblemResponse.WriteAsync(context, ErrorCatalogue.MetricsUnauthenticated, "the metrics endpoint requires its scrape token", null);
    }

    private bool IsAuthorized(HttpContext context)
    {
        if (_tokenHash is null)
        {
            return true;
        }

        var header = context.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(value["Bearer ".Length..]));
        return CryptographicOperations.FixedTimeEquals(presented, _tokenHash);
    }
}
