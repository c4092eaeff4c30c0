using Mandate.Core.Audit;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Mandate.Storage.Sqlite.Audit;
using Mandate.Storage.Sqlite.Vault;

namespace Mandate.Server.Tests.Support;

/// <summary>
/// The real gateway (SQLite audit, vault, JWT verification against a test issuer over HTTP, Cedar)
/// in a temporary folder, in front of a recording upstream, all on 127.0.0.1:0.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private MandateGateway? _gateway;

    /// <summary>The deployment folder.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "mandate-gw-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>The token issuer.</summary>
    public TestIssuer Issuer { get; private set; } = null!;

    /// <summary>The upstream.</summary>
    public RecordingUpstream Upstream { get; private set; } = null!;

    /// <summary>The running gateway.</summary>
    public MandateGateway Gateway => _gateway!;

    /// <summary>Data plane base address.</summary>
    public Uri DataPlane => Gateway.Server.DataPlaneAddress;

    /// <summary>Control plane base address.</summary>
    public Uri ControlPlane => Gateway.Server.ControlPlaneAddress;

    /// <summary>A client for the data plane that changes nothing it is given.</summary>
    public HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    /// <summary>Path of the policy file.</summary>
    public string PolicyFile => Path.Combine(Directory, "policies", "main.cedar");

    /// <summary>Whether files are watched (reload tests switch it on).</summary>
    public bool WatchFiles { get; init; }

    /// <summary>Changes the configuration text before start (e.g. TLS).</summary>
    public Func<string, string>? EditConfig { get; init; }

    /// <summary>Writes extra files into <see cref="Directory"/> before start.</summary>
    public Func<string, Task>? PrepareFiles { get; init; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Upstream = await RecordingUpstream.StartAsync();
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "policies"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
        var config = GatewayFiles.Config(Issuer.Issuer, Upstream.Url);
        await File.WriteAllTextAsync(Path.Combine(Directory, "mandate.yaml"), EditConfig is null ? config : EditConfig(config));
        await File.WriteAllTextAsync(Path.Combine(Directory, "schema.cedarschema"), GatewayFiles.Schema);
        await File.WriteAllTextAsync(PolicyFile, GatewayFiles.Policies);
        await File.WriteAllTextAsync(Path.Combine(Directory, "entities.json"), GatewayFiles.Entities);
        await File.WriteAllTextAsync(Path.Combine(Directory, "vault.key"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        if (PrepareFiles is not null)
        {
            await PrepareFiles(Directory);
        }

        var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = Path.Combine(Directory, "data"), KeyFile = Path.Combine(Directory, "vault.key") });
        var stored = await vault.SetAsync("legacy-key", GatewayFiles.LegacyKey);
        Assert.True(stored.Ok, stored.Error?.ToString());

        var loaded = MandateConfigLoader.Load(Path.Combine(Directory, "mandate.yaml"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
        var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, new MandateServerOptions { WatchFiles = WatchFiles, ReloadDebounce = TimeSpan.FromMilliseconds(100) }, CancellationToken.None);
        Assert.True(gateway is not null, string.Join("\n", problems));
        _gateway = gateway;
    }

    /// <summary>A GET with a bearer token.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string? token, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Get, path, token, headers);

    /// <summary>A request with a bearer token and extra headers.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(DataPlane, path));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Reads every audit record so far (a second reader on the same SQLite file).</summary>
    public async Task<List<AuditEntry>> AuditAsync()
    {
        // The index (audit.db) fills behind the log: wait until it holds what the log has.
        if (_gateway is not null)
        {
            await _gateway.AuditIndexCaughtUpAsync(TimeSpan.FromSeconds(10));
        }
        var reader = new SqliteAuditReader(new SqliteAuditOptions { DataDirectory = Path.Combine(Directory, "data") });
        var list = new List<AuditEntry>();
        await foreach (var e in reader.QueryAsync(new AuditQuery()))
        {
            list.Add(e);
        }

        return list;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        await Issuer.DisposeAsync();
        Client.Dispose();
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
