using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mandate.Core.Tests.Support;

/// <summary>
/// A real OIDC issuer for tests: Kestrel on 127.0.0.1:0 serving discovery, a JWKS and a SPIFFE JWT bundle;
/// mints tokens with any header and claims; rotates keys; counts fetches; can be taken down (503).
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<TestSigningKey> _published = [];
    private int _jwksFetches;
    private int _discoveryFetches;
    private int _bundleFetches;

    private TestIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer URL (<c>http://127.0.0.1:port</c>), also the <c>iss</c> of minted tokens.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The JWKS URL.</summary>
    public Uri JwksUrl => new(Issuer + "/jwks");

    /// <summary>The SPIFFE JWT bundle URL (same keys, <c>use: jwt-svid</c>).</summary>
    public Uri BundleUrl => new(Issuer + "/bundle");

    /// <summary>When true every endpoint answers 503.</summary>
    public bool Down { get; set; }

    /// <summary>How many times the JWKS was fetched (including failed fetches while down).</summary>
    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    /// <summary>How many times discovery was fetched.</summary>
    public int DiscoveryFetches => Volatile.Read(ref _discoveryFetches);

    /// <summary>How many times the SPIFFE bundle was fetched.</summary>
    public int BundleFetches => Volatile.Read(ref _bundleFetches);

    /// <summary>Starts an issuer publishing one key per <paramref name="algs"/>.</summary>
    public static async Task<TestIssuer> StartAsync(params string[] algs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var issuer = new TestIssuer(app);

        app.MapGet("/.well-known/openid-configuration", (HttpContext ctx) =>
        {
            Interlocked.Increment(ref issuer._discoveryFetches);
            return issuer.Down
                ? Results.StatusCode(503)
                : Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["issuer"] = issuer.Issuer,
                    ["jwks_uri"] = issuer.JwksUrl.ToString(),
                    ["id_token_signing_alg_values_supported"] = new[] { "ES256", "RS256", "PS256" },
                }), "application/json");
        });
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref issuer._jwksFetches);
            return issuer.Down ? Results.StatusCode(503) : Results.Text(issuer.KeySetJson("sig"), "application/json");
        });
        app.MapGet("/bundle", () =>
        {
            Interlocked.Increment(ref issuer._bundleFetches);
            return issuer.Down ? Results.StatusCode(503) : Results.Text(issuer.KeySetJson("jwt-svid"), "application/json");
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Issuer = new Uri(address).GetLeftPart(UriPartial.Authority);
        foreach (var alg in algs)
        {
            issuer.AddKey(alg);
        }
        return issuer;
    }

    /// <summary>The published keys, newest last.</summary>
    public IReadOnlyList<TestSigningKey> Keys
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>Creates and publishes a key.</summary>
    public TestSigningKey AddKey(string alg, string? kid = null)
    {
        var key = TestSigningKey.Create(alg, kid);
        lock (_gate)
        {
            _published.Add(key);
        }
        return key;
    }

    /// <summary>Withdraws every published key and publishes one new key of <paramref name="alg"/>.</summary>
    public TestSigningKey Rotate(string alg)
    {
        var key = TestSigningKey.Create(alg);
        lock (_gate)
        {
            _published.Clear();
            _published.Add(key);
        }
        return key;
    }

    /// <summary>The key set as served.</summary>
    public string KeySetJson(string use)
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(new { keys = _published.Select(k => k.PublicJwk(use)).ToArray() });
        }
    }

    /// <summary>Standard claims for a token valid at <paramref name="now"/> for five minutes.</summary>
    public Dictionary<string, object?> Claims(DateTimeOffset now, string audience = "mandate", string sub = "agent-1") => new()
    {
        ["iss"] = Issuer,
        ["aud"] = audience,
        ["sub"] = sub,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString("N"),
    };

    /// <summary>Mints a compact JWS with <paramref name="key"/>; <paramref name="header"/> entries override or add header members (null removes one).</summary>
    public static string Mint(TestSigningKey key, IDictionary<string, object?> claims, IDictionary<string, object?>? header = null)
    {
        var h = new Dictionary<string, object?> { ["alg"] = key.Algorithm, ["typ"] = "JWT", ["kid"] = key.KeyId };
        foreach (var (name, value) in header ?? new Dictionary<string, object?>())
        {
            if (value is null)
            {
                h.Remove(name);
            }
            else
            {
                h[name] = value;
            }
        }
        var alg = (string)h["alg"]!;
        return MintRaw(JsonSerializer.Serialize(h), JsonSerializer.Serialize(claims), data => key.Sign(data, alg));
    }

    /// <summary>Mints a compact JWS from raw header and payload JSON text (for duplicate-key tests) with any signer.</summary>
    public static string MintRaw(string headerJson, string payloadJson, Func<byte[], byte[]> sign)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        return input + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        lock (_gate)
        {
            foreach (var key in _published)
            {
                key.Dispose();
            }
        }
    }
}
