using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Audit;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Mandate.Server.Tests.Support;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Server.Tests.DecisionApis;

/// <summary>
/// A real gateway serving the decision APIs over real sockets: the given Cedar policies and entities, a
/// <c>decisionApis</c> section, an OIDC issuer serving its JWKS over HTTP (for JWT clients) and a SQLite audit log in a
/// temporary folder. The API key <see cref="ApiKey"/> belongs to the client the section names <c>{{apiKeySha256}}</c>.
/// </summary>
public sealed class DecisionApiGateway : IAsyncDisposable
{
    /// <summary>The API key of the configuration's API-key client.</summary>
    public const string ApiKey = "mk_test_0123456789abcdef0123456789abcdef";

    private MandateGateway? _gateway;

    private DecisionApiGateway()
    {
    }

    /// <summary>SHA-256 hex of <see cref="ApiKey"/>, as the configuration stores it.</summary>
    public static string ApiKeySha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));

    /// <summary>The deployment folder.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "mandate-dapi-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>The JWT issuer.</summary>
    public TestIssuer Issuer { get; private set; } = null!;

    /// <summary>The data plane.</summary>
    public Uri DataPlane => _gateway!.Server.DataPlaneAddress;

    /// <summary>The running server (for reloads).</summary>
    public MandateServer Server => _gateway!.Server;

    /// <summary>A client that changes nothing it is given.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    /// <summary>
    /// Starts a gateway with <paramref name="decisionApis"/> as the body of the <c>decisionApis</c> section (indented by
    /// the caller to sit under it; <c>{{apiKeySha256}}</c> is replaced) and optional <paramref name="extra"/> top-level YAML.
    /// </summary>
    public static async Task<DecisionApiGateway> StartAsync(string policies, string entities, string decisionApis, string extra = "")
    {
        var g = new DecisionApiGateway();
        g.Issuer = await TestIssuer.StartAsync();
        System.IO.Directory.CreateDirectory(Path.Combine(g.Directory, "policies"));
        await File.WriteAllTextAsync(Path.Combine(g.Directory, "policies", "main.cedar"), policies);
        await File.WriteAllTextAsync(Path.Combine(g.Directory, "entities.json"), entities);
        var yaml = $$"""
            dataPlane:
              listen: 127.0.0.1:0
            controlPlane:
              listen: 127.0.0.1:0
              adminToken: {{GatewayFiles.AdminToken}}
            dataDir: data
            identity:
              oidc:
                - issuer: {{g.Issuer.Issuer}}
                  audiences: [mandate]
            policies:
              directory: policies
            entities:
              file: entities.json
            decisionApis:
            {{decisionApis.Replace("{{apiKeySha256}}", ApiKeySha256, StringComparison.Ordinal)}}
            {{extra}}
            """;
        await File.WriteAllTextAsync(Path.Combine(g.Directory, "mandate.yaml"), yaml);
        var loaded = MandateConfigLoader.Load(Path.Combine(g.Directory, "mandate.yaml"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
        var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, new MandateServerOptions { WatchFiles = false }, CancellationToken.None);
        Assert.True(gateway is not null, string.Join("\n", problems));
        g._gateway = gateway;
        return g;
    }

    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/> with <c>Authorization: Bearer {credential}</c> (none when null).</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, string json, string? credential = ApiKey, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(DataPlane, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (credential is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
        }

        if (requestId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-ID", requestId);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Replaces the policies and reloads.</summary>
    public async Task ReloadPoliciesAsync(string policies)
    {
        await File.WriteAllTextAsync(Path.Combine(Directory, "policies", "main.cedar"), policies);
        var result = await Server.ReloadAsync(CancellationToken.None);
        Assert.True(result.Applied, string.Join("\n", result.Problems));
    }

    /// <summary>Every decision record so far.</summary>
    public async Task<List<AuditEvent>> DecisionRecordsAsync()
    {
        // The index (audit.db) fills behind the log: wait until it holds what the log has.
        if (_gateway is not null)
        {
            await _gateway.AuditIndexCaughtUpAsync(TimeSpan.FromSeconds(10));
        }
        var reader = new SqliteAuditReader(new SqliteAuditOptions { DataDirectory = Path.Combine(Directory, "data") });
        var list = new List<AuditEvent>();
        await foreach (var e in reader.QueryAsync(new AuditQuery()))
        {
            if (e.Event.Kind == AuditEvent.Kinds.Decision)
            {
                list.Add(e.Event);
            }
        }

        return list;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Issuer.DisposeAsync();
        Http.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }
}
