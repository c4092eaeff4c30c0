namespace Mandate.Server.Configuration;

/// <summary>
/// Turns the parsed DTOs into validated records. Each check adds a problem with its YAML path and
/// carries on, so one run reports everything that is wrong.
/// </summary>
public sealed partial class MandateConfigValidator
{
    private readonly string _sourcePath;
    private readonly string _baseDirectory;
    private readonly YamlNodeIndex _index;
    private readonly List<ConfigProblem> _problems = [];

    /// <summary>Creates a validator for the file at <paramref name="sourcePath"/>.</summary>
    public MandateConfigValidator(string sourcePath, YamlNodeIndex index)
    {
        _sourcePath = sourcePath;
        _baseDirectory = System.IO.Path.GetDirectoryName(sourcePath) ?? Directory.GetCurrentDirectory();
        _index = index;
    }

    /// <summary>Problems found so far.</summary>
    public IReadOnlyList<ConfigProblem> Problems => _problems;

    /// <summary>Validates the document; the result is meaningful only when <see cref="Problems"/> is empty.</summary>
    public MandateConfig Validate(ConfigDocument d)
    {
        var dataPlane = new DataPlaneConfig(
            Endpoint(d.DataPlane?.Listen, "dataPlane.listen", "127.0.0.1:8080"),
            Tls(d.DataPlane?.Tls));
        var controlPlane = ControlPlane(d.ControlPlane);
        var dataDir = ResolvePath(d.DataDir ?? "data", "dataDir");
        var identity = Identity(d.Identity, dataPlane.Tls, d.DecisionApis?.AuthZen?.Clients?.Any(c => c?.ApiKeySha256 is not null) == true);
        var policies = Policies(d.Policies);
        string? entities = null;
        if (d.Entities?.File is { } entitiesFile)
        {
            entities = ExistingFile(entitiesFile, "entities.file");
        }

        var ns = policies.Namespace;
        var agents = Agents(d.Agents, ns);
        var upstreams = Upstreams(d.Upstreams);
        var routes = Routes(d.Routes, upstreams, ns);
        var audit = Audit(d.Audit);
        var proxies = TrustedProxies(d.TrustedProxies);
        var vaultKey = VaultKeyFile(d.Vault);

        if (dataPlane.Listen.Equals(controlPlane.Listen) && dataPlane.Listen.Port != 0)
        {
            Problem("controlPlane.listen", "must differ from dataPlane.listen (the planes listen separately)");
        }

        var mcp = Mcp(d.Mcp);
        var tokens = Tokens(d.Tokens);
        var approvals = Approvals(d.Approvals);
        if (tokens is null && upstreams.Values.Any(u => u.Credential?.Mint is not null))
        {
            Problem("tokens", "required when an upstream credential mints tokens");
        }

        foreach (var route in routes.Where(r => r.DpopRequired && tokens is null))
        {
            Problem($"routes[{route.Index}].dpop", "`required` needs `tokens`: only Mandate's task tokens are DPoP-bound");
        }

        var decisionApis = DecisionApis(d.DecisionApis, ns, mcp);
        var observability = Observability(d.Observability);
        if (observability.ScrapeToken is { } scrape && scrape == controlPlane.AdminToken)
        {
            // Prometheus' configuration must hold no admin power.
            Problem("observability.metrics.scrapeTokenFile", "must not hold the admin token");
        }
        return new MandateConfig(_sourcePath, dataPlane, controlPlane, dataDir, identity, policies, entities, agents, upstreams, routes, audit, proxies, vaultKey)
        {
            Mcp = mcp,
            Tokens = tokens,
            Approvals = approvals,
            DecisionApis = decisionApis,
            Observability = observability,
        };
    }

    private T Missing<T>(string path, T fallback)
    {
        Problem(path, "required");
        return fallback;
    }

    private T Invalid<T>(string path, string message, T fallback)
    {
        Problem(path, message);
        return fallback;
    }

    private void Problem(string path, string message) => _problems.Add(new ConfigProblem(path, message, _index.LineOf(path)));
}
