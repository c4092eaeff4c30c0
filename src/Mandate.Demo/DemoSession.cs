using System.Security.Cryptography;
using System.Text;
using Mandate.Server.Configuration;
using Mandate.Server.Hosting;
using Mandate.Storage.Sqlite.Vault;
using Microsoft.Extensions.Logging;

namespace Mandate.Demo;

/// <summary>
/// Everything <c>mandate demo</c> runs, in one process: the <see cref="SampleApi"/>, the
/// <see cref="HelpdeskMcpServer"/> (over the same tickets), the <see cref="DemoIssuer"/>, and the REAL gateway (<see cref="MandateGateway"/>, as <c>mandate serve</c>
/// runs it) started from a configuration file the demo writes into its data directory. The legacy
/// API's static key is put into the gateway's vault; only the gateway ever reads it back.
/// </summary>
public sealed class DemoSession : IAsyncDisposable
{
    /// <summary>The vault entry holding the sample API's legacy key (named in <c>demo/mandate.yaml</c>).</summary>
    public const string LegacyKeySecret = "legacy-reports-key";

    private readonly MandateGateway _gateway;

    private DemoSession(SampleApi api, HelpdeskMcpServer helpdesk, DemoIssuer issuer, MandateGateway gateway, string dataDirectory, string configPath, IReadOnlyDictionary<string, string> tokens)
    {
        SampleApi = api;
        Helpdesk = helpdesk;
        Issuer = issuer;
        _gateway = gateway;
        DataDirectory = dataDirectory;
        ConfigPath = configPath;
        Tokens = tokens;
    }

    /// <summary>The upstream API.</summary>
    public SampleApi SampleApi { get; }

    /// <summary>The upstream MCP server.</summary>
    public HelpdeskMcpServer Helpdesk { get; }

    /// <summary>The token issuer.</summary>
    public DemoIssuer Issuer { get; }

    /// <summary>The gateway's data plane (where agents send requests).</summary>
    public Uri Gateway => _gateway.Server.DataPlaneAddress;

    /// <summary>The gateway's control plane.</summary>
    public Uri ControlPlane => _gateway.Server.ControlPlaneAddress;

    /// <summary>Absolute path of the data directory (audit log, vault, policies, config).</summary>
    public string DataDirectory { get; }

    /// <summary>The generated <c>mandate.yaml</c>.</summary>
    public string ConfigPath { get; }

    /// <summary>The approver's control-plane token file (<c>approvals.approvers</c> in the generated config).</summary>
    public string ApproverTokenFile => Path.Combine(DataDirectory, DemoScript.Approval.TokenFileName);

    /// <summary>A token per sample agent id, minted at start.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; }

    /// <summary>
    /// Starts the sample API, the issuer and the gateway. Returns the problems instead when the
    /// gateway cannot start (a port in use, a broken policy file); nothing is left running then.
    /// </summary>
    public static async Task<(DemoSession? Session, IReadOnlyList<string> Problems)> StartAsync(
        DemoOptions options, Action<ILoggingBuilder>? logging, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var vaultKeyFile = Path.Combine(dataDirectory, "vault.key");
        EnsureSecretFile(vaultKeyFile, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        EnsureSecretFile(Path.Combine(dataDirectory, "admin-token"), () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        EnsureSecretFile(Path.Combine(dataDirectory, DemoScript.Approval.TokenFileName), () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

        // A new legacy key each run: it exists only in the sample API and in the vault.
        var legacyKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var vault = new SqliteSecretVault(new SqliteVaultOptions { DataDirectory = dataDirectory, KeyFile = vaultKeyFile });
        var stored = await vault.SetAsync(LegacyKeySecret, legacyKey, cancellationToken).ConfigureAwait(false);
        if (!stored.Ok)
        {
            return (null, [$"cannot store the legacy key in the vault: {stored.Error!.Message} ({stored.Error.Code})"]);
        }

        // One ticket store behind both upstreams: what the MCP tools find or delete is what GET /tickets shows.
        var tickets = new TicketStore();
        var api = await SampleApi.StartAsync(new SampleApiOptions { LegacyApiKey = legacyKey, Tickets = tickets }, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        HelpdeskMcpServer? helpdesk = null;
        DemoIssuer? issuer = null;
        try
        {
            helpdesk = await HelpdeskMcpServer.StartAsync(tickets, cancellationToken).ConfigureAwait(false);
            issuer = await DemoIssuer.StartAsync(new DemoIssuerOptions(), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            DemoFiles.WritePolicyFiles(dataDirectory);
            var configPath = Path.Combine(dataDirectory, "mandate.yaml");
            await File.WriteAllTextAsync(configPath, DemoFiles.RenderConfig(new Dictionary<string, string>
            {
                ["dataPort"] = options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["controlPort"] = "0",
                ["dataDir"] = dataDirectory,
                ["issuer"] = issuer.Issuer,
                ["sampleApi"] = api.BaseAddress.ToString().TrimEnd('/'),
                ["helpdeskMcp"] = helpdesk.Url.ToString(),
            }), cancellationToken).ConfigureAwait(false);

            var loaded = MandateConfigLoader.Load(configPath);
            if (!loaded.Succeeded)
            {
                await DisposeAsync(api, helpdesk, issuer).ConfigureAwait(false);
                return (null, loaded.Problems.Select(p => $"{configPath}: {p}").ToArray());
            }

            var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, new MandateServerOptions { Logging = logging }, cancellationToken).ConfigureAwait(false);
            if (gateway is null)
            {
                await DisposeAsync(api, helpdesk, issuer).ConfigureAwait(false);
                return (null, problems);
            }

            var tokens = DemoAgents.All.ToDictionary(a => a.Id, a => issuer.Mint(a, options.TokenLifetime), StringComparer.Ordinal);
            return (new DemoSession(api, helpdesk, issuer, gateway, dataDirectory, configPath, tokens), []);
        }
        catch
        {
            await DisposeAsync(api, helpdesk, issuer).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// What the demo prints: where things run, the agents' tokens as <c>export</c> lines, the curl
    /// commands and the approval walk-through (see <see cref="DemoScript"/>), and how to read the audit trail.
    /// <paramref name="mandateCommand"/> is how to invoke this CLI (e.g. <c>dotnet /path/mandate.dll</c>).
    /// </summary>
    public string Instructions(string mandateCommand)
    {
        var expiry = DemoIssuer.ExpiryOf(Tokens[DemoAgents.SupportBot.Id]);
        var dir = DemoScript.Quote(DataDirectory);
        var text = new StringBuilder();
        text.Append("# Mandate demo\n");
        text.Append("#   gateway (data plane)  ").Append(Gateway).Append('\n');
        text.Append("#   control plane         ").Append(ControlPlane).Append("  (admin token in ").Append(Path.Combine(DataDirectory, "admin-token")).Append(")\n");
        text.Append("#   approver              ").Append(DemoScript.Approval.Approver).Append(", the finance lead  (her token in ").Append(ApproverTokenFile).Append(")\n");
        text.Append("#   sample API (upstream) ").Append(SampleApi.BaseAddress).Append("  (agents go through the gateway)\n");
        text.Append("#   MCP server (upstream) ").Append(Helpdesk.Url).Append("  (agents use ").Append(new Uri(Gateway, "/mcp/" + HelpdeskMcpServer.Name)).Append(")\n");
        text.Append("#   token issuer (OIDC)   ").Append(Issuer.Issuer).Append("/.well-known/openid-configuration\n");
        text.Append("#   config                ").Append(ConfigPath).Append('\n');
        text.Append("#   policies              ").Append(Path.Combine(DataDirectory, "policies")).Append("  (edit one: the gateway reloads it)\n");
        text.Append("#\n# Paste the export lines first. Tokens are valid until ").Append(expiry.ToString("HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)).Append(".\n\n");
        text.Append(DemoScript.Render(Gateway, Tokens, new DemoControlPlane(mandateCommand, ControlPlane, ApproverTokenFile)));
        text.Append("\n# The audit trail: every decision above, hash-chained, durable before anything was forwarded\n");
        text.Append(mandateCommand).Append(" audit tail --data-dir ").Append(dir).Append(" --lines 20\n");
        text.Append(mandateCommand).Append(" audit query --data-dir ").Append(dir).Append(" --decision deny\n");
        text.Append(mandateCommand).Append(" audit verify --data-dir ").Append(dir).Append('\n');
        return text.ToString();
    }

    /// <summary>Stops the gateway first (so nothing is forwarded to a stopped upstream), then the issuer and the upstreams.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gateway.Server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _gateway.DisposeAsync().ConfigureAwait(false);
        await DisposeAsync(SampleApi, Helpdesk, Issuer).ConfigureAwait(false);
    }

    private static async Task DisposeAsync(SampleApi api, HelpdeskMcpServer? helpdesk, DemoIssuer? issuer)
    {
        if (issuer is not null)
        {
            await issuer.DisposeAsync().ConfigureAwait(false);
        }

        if (helpdesk is not null)
        {
            await helpdesk.DisposeAsync().ConfigureAwait(false);
        }

        await api.DisposeAsync().ConfigureAwait(false);
    }

    // Secrets are created once and kept, so that the vault stays readable across demo runs.
    private static void EnsureSecretFile(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, Encoding.ASCII, options);
        writer.Write(create());
    }
}
