using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Demo;

/// <summary>
/// A local OIDC token issuer for the demo and the load benchmark: serves discovery and a JWKS over HTTP
/// on 127.0.0.1, and signs ES256 access tokens for sample agents with a P-256 key made at start
/// (tokens from an earlier run do not verify after a restart). It is the stand-in for a company's
/// identity provider; the gateway trusts it exactly as it would trust a real one (discovery + JWKS).
/// </summary>
public sealed class DemoIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ECDsa _key;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeProvider _time;

    private DemoIssuer(WebApplication app, ECDsa key, string keyId, Uri address, string audience, TimeProvider time)
    {
        _app = app;
        _key = key;
        _time = time;
        Issuer = address.ToString().TrimEnd('/');
        Audience = audience;
        KeyId = keyId;
        _credentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>The issuer identifier (<c>iss</c>), e.g. <c>http://127.0.0.1:40124</c>; discovery is at <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public string Issuer { get; }

    /// <summary>The <c>aud</c> of every token.</summary>
    public string Audience { get; }

    /// <summary>The signing key's id (its RFC 7638 thumbprint).</summary>
    public string KeyId { get; }

    /// <summary>Where the JWKS is served.</summary>
    public string JwksUri => Issuer + "/jwks.json";

    /// <summary>Starts the issuer on 127.0.0.1 with a fresh P-256 key.</summary>
    public static async Task<DemoIssuer> StartAsync(DemoIssuerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var x = Base64UrlEncoder.Encode(parameters.Q.X!);
        var y = Base64UrlEncoder.Encode(parameters.Q.Y!);
        // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
        var keyId = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}")));

        var builder = LoopbackApp.CreateBuilder("Mandate.Demo.Issuer", options.Port);
        var app = builder.Build();
        DemoIssuer? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!.Issuer,
            ["jwks_uri"] = issuer.JwksUri,
            ["response_types_supported"] = new[] { "token" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
        }));
        app.MapGet("/jwks.json", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "EC", ["crv"] = "P-256", ["x"] = x, ["y"] = y,
                    ["kid"] = keyId, ["alg"] = "ES256", ["use"] = "sig",
                },
            },
        }));
        try
        {
            var address = await LoopbackApp.StartAsync(app, cancellationToken).ConfigureAwait(false);
            issuer = new DemoIssuer(app, key, keyId, address, options.Audience, time);
            return issuer;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Signs an ES256 access token for <paramref name="agent"/>, valid for <paramref name="lifetime"/>.
    /// An agent acting for a user gets <c>sub</c> = the user and <c>act</c> = <c>{"sub": agent}</c> (RFC 8693);
    /// otherwise <c>sub</c> is the agent. Every token has a fresh <c>jti</c>, so no two are equal.
    /// </summary>
    public string Mint(DemoAgent agent, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", Issuer);
            json.WriteString("aud", Audience);
            json.WriteString("sub", agent.User ?? agent.Id);
            if (agent.User is not null)
            {
                json.WriteStartObject("act");
                json.WriteString("sub", agent.Id);
                json.WriteEndObject();
            }

            json.WriteString("scope", string.Join(' ', agent.Scopes));
            json.WriteString("client_id", agent.Id);
            json.WriteNumber("iat", now);
            json.WriteNumber("nbf", now);
            json.WriteNumber("exp", now + (long)lifetime.TotalSeconds);
            json.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            json.WriteEndObject();
        }

        return _handler.CreateToken(Encoding.UTF8.GetString(buffer.ToArray()), _credentials,
            new Dictionary<string, object> { ["typ"] = "at+jwt" });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _key.Dispose();
    }

    /// <summary>The <c>exp</c> of a token this issuer minted, for printing.</summary>
    public static DateTimeOffset ExpiryOf(string token) => new JsonWebToken(token).ValidTo;
}
