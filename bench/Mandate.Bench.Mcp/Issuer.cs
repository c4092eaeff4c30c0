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

/// <summary>A local OIDC issuer (discovery + JWKS over HTTP) minting ES256 tokens; shared with the MCP conformance harness.</summary>
internal sealed class Issuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private Issuer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public static async Task<Issuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var issuer = new Issuer(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(JsonSerializer.Serialize(new { issuer = issuer.Url, jwks_uri = issuer.Url + "/jwks" }), "application/json"));
        app.MapGet("/jwks", () =>
        {
            var p = issuer._key.ExportParameters(false);
            return Results.Text(JsonSerializer.Serialize(new { keys = new[] { new { kty = "EC", crv = "P-256", use = "sig", alg = "ES256", kid = "bench", x = B64(p.Q.X!), y = B64(p.Q.Y!) } } }), "application/json");
        });
        await app.StartAsync();
        issuer.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).GetLeftPart(UriPartial.Authority);
        return issuer;
    }

    public string Mint(string agent)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", typ = "JWT", kid = "bench" }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new { iss = Url, aud = "mandate", sub = agent, iat = now, exp = now + 3600, jti = Guid.NewGuid().ToString("N") }));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return header + "." + payload + "." + B64(signature);
    }

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
