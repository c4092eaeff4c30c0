using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Tests.Support;

/// <summary>
/// A real OIDC issuer on 127.0.0.1:0 serving discovery and a JWKS over HTTP; mints ES256 JWTs.
/// (Same approach as tests/Mandate.Core.Tests/Support/TestIssuer.cs, reduced to what the gateway tests need.)
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _kid = "es256-" + Guid.NewGuid().ToString("N")[..8];

    private TestIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer URL, also the tokens' <c>iss</c>.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>Starts the issuer.</summary>
    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var issuer = new TestIssuer(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(
            JsonSerializer.Serialize(new { issuer = issuer.Issuer, jwks_uri = issuer.Issuer + "/jwks" }), "application/json"));
        app.MapGet("/jwks", () => Results.Text(issuer.Jwks(), "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Issuer = new Uri(address).GetLeftPart(UriPartial.Authority);
        return issuer;
    }

    /// <summary>Mints a token for <paramref name="agent"/>; <paramref name="lifetime"/> may be negative (expired);
    /// <paramref name="header"/> replaces or adds JOSE header members (hostile <c>kid</c>, <c>alg</c>, <c>crit</c>, …).</summary>
    public string Mint(string agent, string scope = "tickets:read", string audience = "mandate", TimeSpan? lifetime = null, ECDsa? signWith = null, IReadOnlyDictionary<string, object>? extraClaims = null, IReadOnlyDictionary<string, object>? header = null)
    {
        var now = DateTimeOffset.UtcNow;
        var exp = now + (lifetime ?? TimeSpan.FromMinutes(5));
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = audience,
            ["sub"] = agent,
            ["scope"] = scope,
            ["iat"] = Math.Min(now.ToUnixTimeSeconds(), exp.ToUnixTimeSeconds() - 1),
            ["exp"] = exp.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in extraClaims ?? new Dictionary<string, object>())
        {
            claims[name] = value;
        }

        if (lifetime is { } l && l < TimeSpan.Zero)
        {
            claims["iat"] = exp.AddMinutes(-5).ToUnixTimeSeconds();
            claims["nbf"] = exp.AddMinutes(-5).ToUnixTimeSeconds();
        }

        var members = new Dictionary<string, object> { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = _kid };
        foreach (var (name, value) in header ?? new Dictionary<string, object>())
        {
            members[name] = value;
        }

        var encodedHeader = Encode(JsonSerializer.SerializeToUtf8Bytes(members));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(encodedHeader + "." + payload), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return encodedHeader + "." + payload + "." + Encode(signature);
    }

    private string Jwks()
    {
        var p = _key.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "EC", crv = "P-256", use = "sig", alg = "ES256", kid = _kid, x = Encode(p.Q.X!), y = Encode(p.Q.Y!) } },
        });
    }

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
