using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mandate.Core.Decisions;
using Mandate.Server.Paths;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mandate.Server.Configuration;

/// <summary>
/// Turns the parsed DTOs into validated records. Each check adds a problem with its YAML path and
/// carries on, so one run reports everything that is wrong.
/// </summary>
public sealed partial class MandateConfigValidator
{
    private const int MaxArgsBytes = 16 * 1024 * 1024;

    private static readonly string[] SupportedAlgorithms = ["ES256", "RS256", "PS256", "EdDSA"];
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
        var dataDir = ResolvePath(d.DataDir ?? "data");
        var identity = Identity(d.Identity, dataPlane.Tls);
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
        var audit = new AuditConfig(
            PositiveInt(d.Audit?.CheckpointEvery, "audit.checkpointEvery", 1000),
            PositiveInt(d.Audit?.CheckpointSeconds, "audit.checkpointSeconds", 60));
        var proxies = TrustedProxies(d.TrustedProxies);
        var vaultKey = d.Vault?.KeyFile is { } keyFile ? ExistingFile(keyFile, "vault.keyFile") : null;

        if (dataPlane.Listen.Equals(controlPlane.Listen) && dataPlane.Listen.Port != 0)
        {
            Problem("controlPlane.listen", "must differ from dataPlane.listen (the planes listen separately)");
        }

        var mcp = Mcp(d.Mcp);
        var tokens = Tokens(d.Tokens);
        if (tokens is null && upstreams.Values.Any(u => u.Credential?.Mint is not null))
        {
            Problem("tokens", "required when an upstream credential mints tokens");
        }

        return new MandateConfig(_sourcePath, dataPlane, controlPlane, dataDir, identity, policies, entities, agents, upstreams, routes, audit, proxies, vaultKey) { Mcp = mcp, Tokens = tokens };
    }

    private TlsConfig? Tls(TlsDocument? tls)
    {
        if (tls is null)
        {
            return null;
        }

        var certificate = tls.Certificate is null
            ? Missing<string>("dataPlane.tls.certificate", "")
            : ExistingFile(tls.Certificate, "dataPlane.tls.certificate");
        var key = tls.Key is null ? null : ExistingFile(tls.Key, "dataPlane.tls.key");
        var mode = (tls.ClientCertificates ?? "none") switch
        {
            "none" => ClientCertificatePolicy.None,
            "allow" => ClientCertificatePolicy.Allow,
            "require" => ClientCertificatePolicy.Require,
            var other => Invalid("dataPlane.tls.clientCertificates", $"`{other}` is not one of none, allow, require", ClientCertificatePolicy.None),
        };
        return new TlsConfig(certificate, key, mode);
    }

    private ControlPlaneConfig ControlPlane(ControlPlaneDocument? c)
    {
        var listen = Endpoint(c?.Listen, "controlPlane.listen", "127.0.0.1:8081");
        string token = "";
        if (c?.AdminToken is not null && c.AdminTokenFile is not null)
        {
            Problem("controlPlane.adminTokenFile", "give adminToken or adminTokenFile, not both");
        }
        else if (c?.AdminTokenFile is { } file)
        {
            var path = ExistingFile(file, "controlPlane.adminTokenFile");
            if (File.Exists(path))
            {
                token = File.ReadAllText(path).Trim();
            }
        }
        else if (c?.AdminToken is { } inline)
        {
            token = inline;
        }
        else
        {
            Problem("controlPlane", "adminToken or adminTokenFile is required");
            return new ControlPlaneConfig(listen, token);
        }

        if (token.Length < 16 && _problems.All(p => !p.Path.StartsWith("controlPlane.admin", StringComparison.Ordinal)))
        {
            Problem(c.AdminTokenFile is null ? "controlPlane.adminToken" : "controlPlane.adminTokenFile", "the admin token must be at least 16 characters");
        }

        return new ControlPlaneConfig(listen, token);
    }

    private IdentityConfig Identity(IdentityDocument? identity, TlsConfig? tls)
    {
        var oidc = new List<OidcIssuerConfig>();
        var spiffe = new List<SpiffeTrustDomainConfig>();
        for (var i = 0; i < (identity?.Oidc?.Count ?? 0); i++)
        {
            var path = $"identity.oidc[{i}]";
            var o = identity!.Oidc![i];
            if (o is null)
            {
                Problem(path, "an issuer needs at least `issuer` and `audiences`");
                continue;
            }

            var issuer = o.Issuer ?? Missing<string>($"{path}.issuer", "");
            var issuerUri = issuer.Length == 0 ? null : HttpUrl(issuer, $"{path}.issuer");
            var audiences = NonEmptyStrings(o.Audiences, $"{path}.audiences");
            if (audiences.Count == 0 && o.Audiences is not null)
            {
                Problem($"{path}.audiences", "at least one audience is required");
            }

            Uri discovery = o.DiscoveryUrl is null
                ? (issuerUri is null ? new Uri("http://invalid/") : new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration"))
                : HttpUrl(o.DiscoveryUrl, $"{path}.discoveryUrl") ?? new Uri("http://invalid/");
            var jwks = o.JwksUrl is null ? null : HttpUrl(o.JwksUrl, $"{path}.jwksUrl");
            var algorithms = o.Algorithms is null ? SupportedAlgorithms.ToList() : NonEmptyStrings(o.Algorithms, $"{path}.algorithms");
            for (var k = 0; k < algorithms.Count; k++)
            {
                if (!SupportedAlgorithms.Contains(algorithms[k], StringComparer.Ordinal))
                {
                    Problem($"{path}.algorithms[{k}]", $"`{algorithms[k]}` is not allowed (allowed: {string.Join(", ", SupportedAlgorithms)})");
                }
            }

            oidc.Add(new OidcIssuerConfig(
                issuer,
                audiences,
                discovery,
                jwks,
                algorithms,
                o.AgentClaim,
                TimeSpan.FromSeconds(PositiveInt(o.MaxStalenessSeconds, $"{path}.maxStalenessSeconds", 3600)),
                TimeSpan.FromSeconds(NonNegativeInt(o.ClockSkewSeconds, $"{path}.clockSkewSeconds", 30)))
            {
                ClaimsToContext = ClaimNames(o.ClaimsToContext, $"{path}.claimsToContext"),
            });
        }

        for (var i = 0; i < (identity?.Spiffe?.Count ?? 0); i++)
        {
            var path = $"identity.spiffe[{i}]";
            var s = identity!.Spiffe![i];
            if (s is null)
            {
                Problem(path, "a trust domain needs `trustDomain` and a bundle");
                continue;
            }

            var domain = s.TrustDomain ?? Missing<string>($"{path}.trustDomain", "");
            if (domain.Length > 0 && !TrustDomainName().IsMatch(domain))
            {
                Problem($"{path}.trustDomain", $"`{domain}` is not a trust domain name (lowercase letters, digits, `.`, `-`, `_`)");
            }

            if (s.BundleFile is not null && s.BundleUrl is not null)
            {
                Problem(path, "give bundleFile or bundleUrl, not both");
            }

            if (s.BundleFile is null && s.BundleUrl is null && s.X509Bundle is null)
            {
                Problem(path, "give a jwt-svid bundle (bundleFile or bundleUrl), an x509Bundle, or both");
            }

            if ((s.BundleFile is not null || s.BundleUrl is not null) && string.IsNullOrEmpty(s.Audience))
            {
                Problem($"{path}.audience", "required with a jwt-svid bundle: the one audience this gateway expects");
            }

            var file = s.BundleFile is null ? null : ExistingFile(s.BundleFile, $"{path}.bundleFile");
            var url = s.BundleUrl is null ? null : HttpUrl(s.BundleUrl, $"{path}.bundleUrl");
            var x509 = s.X509Bundle is null ? null : ExistingFile(s.X509Bundle, $"{path}.x509Bundle");
            if (s.ClaimsToContext is not null && file is null && url is null)
            {
                Problem($"{path}.claimsToContext", "claims come from jwt-svids; give bundleFile or bundleUrl");
            }

            spiffe.Add(new SpiffeTrustDomainConfig(domain, file, url, s.Audience, x509) { ClaimsToContext = ClaimNames(s.ClaimsToContext, $"{path}.claimsToContext") });
        }

        if (oidc.Count == 0 && spiffe.Count == 0)
        {
            Problem("identity", "no oidc issuer or spiffe trust domain is configured, so no agent could authenticate");
        }

        if (tls?.ClientCertificates is ClientCertificatePolicy.Allow or ClientCertificatePolicy.Require && spiffe.All(d => d.X509Bundle is null))
        {
            Problem("dataPlane.tls.clientCertificates", "client certificates need an identity.spiffe trust domain with an x509Bundle to verify them against");
        }

        return new IdentityConfig(oidc, spiffe);
    }

    private PolicyConfig Policies(PoliciesDocument? p)
    {
        if (p is null)
        {
            Problem("policies", "required: `directory` (a folder of .cedar files) and optionally `schema`");
            return new PolicyConfig("", null, "Mandate");
        }

        var directory = "";
        if (p.Directory is null)
        {
            Problem("policies.directory", "required");
        }
        else
        {
            directory = ResolvePath(p.Directory);
            if (!Directory.Exists(directory))
            {
                Problem("policies.directory", $"folder `{directory}` does not exist");
            }
        }

        var schema = p.Schema is null ? null : ExistingFile(p.Schema, "policies.schema");
        var ns = p.Namespace ?? "Mandate";
        if (ns.Length > 0 && !CedarPath().IsMatch(ns))
        {
            Problem("policies.namespace", $"`{ns}` is not a cedar namespace (Name or Name::Name)");
        }

        return new PolicyConfig(directory, schema, ns);
    }

    private List<AgentRecord> Agents(Dictionary<string, AgentDocument?>? agents, string ns)
    {
        var result = new List<AgentRecord>();
        foreach (var (id, a) in agents ?? [])
        {
            var path = $"agents.{id}";
            if (id.Length == 0)
            {
                Problem(path, "an agent id must not be empty");
                continue;
            }

            var parents = new List<EntityRef>();
            for (var i = 0; i < (a?.Parents?.Count ?? 0); i++)
            {
                var parent = EntityReference(a!.Parents![i], $"{path}.parents[{i}]", ns);
                if (parent is not null)
                {
                    parents.Add(parent);
                }
            }

            result.Add(new AgentRecord(id, parents, Attributes($"{path}.attributes")));
        }

        return result;
    }

    private Dictionary<string, UpstreamConfig> Upstreams(Dictionary<string, UpstreamDocument?>? upstreams)
    {
        var result = new Dictionary<string, UpstreamConfig>(StringComparer.Ordinal);
        foreach (var (name, u) in upstreams ?? [])
        {
            var path = $"upstreams.{name}";
            if (u?.Url is null)
            {
                Problem($"{path}.url", "required");
                continue;
            }

            var url = HttpUrl(u.Url, $"{path}.url");
            if (url is not null && (url.Query.Length > 0 || url.Fragment.Length > 0))
            {
                Problem($"{path}.url", "must not have a query or fragment");
            }

            var credential = Credential($"{path}.credential");
            var timeout = TimeSpan.FromSeconds(PositiveInt(u.TimeoutSeconds, $"{path}.timeoutSeconds", 30));
            if (url is not null)
            {
                result[name] = new UpstreamConfig(name, url, credential, timeout);
            }
        }

        return result;
    }

    private UpstreamCredentialConfig? Credential(string path)
    {
        var node = _index[path];
        if (node is null || YamlNodeIndex.IsNull(node) || node is YamlScalarNode { Value: "none" })
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            Problem(path, "must be `none` or a mapping {vault, header, format}");
            return null;
        }

        if (mapping.Children.Count == 1 && mapping.Children.First().Key is YamlScalarNode { Value: "mint" })
        {
            return Mint(mapping.Children.First().Value, $"{path}.mint") is { } mint
                ? new UpstreamCredentialConfig("", "Authorization", "Bearer {secret}") { Mint = mint }
                : null;
        }

        string? vault = null, header = null, format = null;
        foreach (var (k, v) in mapping.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            var value = (v as YamlScalarNode)?.Value;
            if (v is not YamlScalarNode)
            {
                Problem($"{path}.{key}", "expected a single value");
                continue;
            }

            switch (key)
            {
                case "vault": vault = value; break;
                case "header": header = value; break;
                case "format": format = value; break;
                default: Problem($"{path}.{key}", $"unknown key `{key}` (known: format, header, vault; or mint alone)"); break;
            }
        }

        if (string.IsNullOrEmpty(vault))
        {
            Problem($"{path}.vault", "required: the name of the secret in the vault");
        }

        header ??= "Authorization";
        if (!HeaderName().IsMatch(header))
        {
            Problem($"{path}.header", $"`{header}` is not a valid header name");
        }

        format ??= "Bearer {secret}";
        if (!format.Contains("{secret}", StringComparison.Ordinal))
        {
            Problem($"{path}.format", "must contain `{secret}`");
        }
        else if (format.Any(c => c < 0x20 || c == 0x7F))
        {
            Problem($"{path}.format", "must not contain control characters");
        }

        return new UpstreamCredentialConfig(vault ?? "", header, format);
    }

    private List<RouteConfig> Routes(List<RouteDocument?>? routes, Dictionary<string, UpstreamConfig> upstreams, string ns)
    {
        var result = new List<RouteConfig>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < (routes?.Count ?? 0); i++)
        {
            var path = $"routes[{i}]";
            var r = routes![i];
            if (r is null)
            {
                Problem(path, "a route needs method, path, action, resource and upstream");
                continue;
            }

            var before = _problems.Count;
            var method = (r.Method ?? Missing<string>($"{path}.method", "")).ToUpperInvariant();
            if (method.Length > 0 && method != "*" && !HttpToken().IsMatch(method))
            {
                Problem($"{path}.method", $"`{r.Method}` is not an http method");
            }

            RouteTemplate? template = null;
            if (r.Path is null)
            {
                Problem($"{path}.path", "required");
            }
            else
            {
                var (t, error) = RouteTemplate.Parse(r.Path);
                if (error is not null)
                {
                    Problem($"{path}.path", $"`{r.Path}` {error}");
                }

                template = t;
                if (t is not null && r.Path is "/healthz" or "/readyz")
                {
                    Problem($"{path}.path", $"`{r.Path}` is reserved for the gateway's own health endpoints");
                }
            }

            var parameters = template?.ParameterNames.ToHashSet(StringComparer.Ordinal) ?? [];
            var action = r.Action is null ? Missing<EntityRef?>($"{path}.action", null) : ActionReference(r.Action, $"{path}.action", ns);
            var resource = Resource(r.Resource, $"{path}.resource", ns, parameters, template is not null);
            if (r.Upstream is null)
            {
                Problem($"{path}.upstream", "required");
            }
            else if (!upstreams.ContainsKey(r.Upstream) && _index[$"upstreams.{r.Upstream}"] is null)
            {
                var known = upstreams.Count == 0 ? "none are defined" : "known: " + string.Join(", ", upstreams.Keys.Order(StringComparer.Ordinal));
                Problem($"{path}.upstream", $"unknown upstream `{r.Upstream}` ({known})");
            }

            if (template is not null && method.Length > 0)
            {
                var key = method + " " + string.Join('/', template.Segments.Select(s => s.Kind == TemplateSegmentKind.Literal ? "L:" + s.Text : s.Kind.ToString()));
                if (seen.TryGetValue(key, out var first))
                {
                    Problem($"{path}.path", $"same method and path shape as routes[{first}]");
                }
                else
                {
                    seen[key] = i;
                }
            }

            var args = (r.Args ?? "none") switch
            {
                "none" => RouteArgs.None,
                "json" => RouteArgs.Json,
                var other => Invalid($"{path}.args", $"`{other}` is not one of none, json", RouteArgs.None),
            };
            var argsMaxBytes = PositiveInt(r.ArgsMaxBytes, $"{path}.argsMaxBytes", RouteConfig.DefaultArgsMaxBytes);
            if (argsMaxBytes > MaxArgsBytes)
            {
                Problem($"{path}.argsMaxBytes", $"at most {MaxArgsBytes} (the body is held in memory while it is decided on)");
            }
            else if (r.ArgsMaxBytes is not null && args != RouteArgs.Json)
            {
                Problem($"{path}.argsMaxBytes", "only meaningful with `args: json`");
            }

            if (_problems.Count == before)
            {
                result.Add(new RouteConfig(i, method, template!, action!, resource!, r.Upstream!) { Args = args, ArgsMaxBytes = argsMaxBytes });
            }
        }

        return result;
    }

    private ResourceTemplate? Resource(ResourceDocument? r, string path, string ns, HashSet<string> parameters, bool checkParameters)
    {
        if (r is null)
        {
            Problem(path, "required: at least `type` and `id`");
            return null;
        }

        var type = r.Type is null ? Missing<string>($"{path}.type", "") : EntityType(r.Type, $"{path}.type", ns);
        var id = r.Id is null ? Missing<ValueTemplate?>($"{path}.id", null) : Template(r.Id, $"{path}.id", parameters, checkParameters);
        var parents = new List<(string, ValueTemplate)>();
        for (var i = 0; i < (r.Parents?.Count ?? 0); i++)
        {
            var p = r.Parents![i];
            var pp = $"{path}.parents[{i}]";
            if (p?.Type is null || p.Id is null)
            {
                Problem(pp, "a parent needs `type` and `id`");
                continue;
            }

            var pt = EntityType(p.Type, $"{pp}.type", ns);
            var pid = Template(p.Id, $"{pp}.id", parameters, checkParameters);
            if (pid is not null)
            {
                parents.Add((pt, pid));
            }
        }

        var attributes = Attributes($"{path}.attributes");
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in attributes.Keys)
        {
            if (_index.LineOf($"{path}.attributes.{name}") is { } line)
            {
                lines[name] = line;
            }
        }

        return id is null ? null : new ResourceTemplate(type, id, parents, attributes) { AttributeLines = lines };
    }

    private ValueTemplate? Template(string text, string path, HashSet<string> parameters, bool checkParameters)
    {
        var (template, error) = ValueTemplate.Parse(text);
        if (error is not null)
        {
            Problem(path, error);
            return null;
        }

        foreach (var name in template!.ParameterNames)
        {
            if (checkParameters && !parameters.Contains(name))
            {
                Problem(path, $"`{{{name}}}` is not a parameter of the route's path");
            }
        }

        return template;
    }

    private EntityRef? EntityReference(EntityDocument? e, string path, string ns)
    {
        if (e?.Type is null || e.Id is null)
        {
            Problem(path, "an entity needs `type` and `id`");
            return null;
        }

        return new EntityRef(EntityType(e.Type, $"{path}.type", ns), e.Id);
    }

    private EntityRef? ActionReference(string text, string path, string ns)
    {
        var m = QualifiedUid().Match(text);
        if (m.Success)
        {
            if (!m.Groups["type"].Value.EndsWith("Action", StringComparison.Ordinal))
            {
                Problem(path, $"`{text}` is not an action (its type must be Action or Ns::Action)");
                return null;
            }

            return new EntityRef(m.Groups["type"].Value, m.Groups["id"].Value.Replace("\\\"", "\"").Replace("\\\\", "\\"));
        }

        if (text.Length == 0 || text.Any(c => c < 0x20 || c == '"'))
        {
            Problem(path, $"`{text}` is not an action: write a short name (`read`) or `Mandate::Action::\"read\"`");
            return null;
        }

        return new EntityRef(Qualify("Action", ns), text);
    }

    private string EntityType(string text, string path, string ns)
    {
        if (!CedarPath().IsMatch(text))
        {
            Problem(path, $"`{text}` is not a cedar entity type (Name or Ns::Name)");
            return text;
        }

        return text.Contains("::", StringComparison.Ordinal) ? text : Qualify(text, ns);
    }

    private static string Qualify(string name, string ns) => ns.Length == 0 ? name : $"{ns}::{name}";

    private IReadOnlyDictionary<string, JsonElement> Attributes(string path)
    {
        var node = _index[path];
        if (node is null || YamlNodeIndex.IsNull(node))
        {
            return new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        }

        if (node is not YamlMappingNode mapping)
        {
            Problem(path, "expected a mapping of attribute names to values");
            return new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (k, v) in mapping.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            if (ContainsNull(v))
            {
                // Cedar has no null; an absent attribute is written by leaving it out.
                Problem($"{path}.{name}", "cedar has no null value; leave the attribute out instead");
                continue;
            }

            result[name] = ToJson(v);
        }

        return result;
    }

    private static bool ContainsNull(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.Values.Any(ContainsNull),
        YamlSequenceNode s => s.Children.Any(ContainsNull),
        _ => YamlNodeIndex.IsNull(node),
    };

    /// <summary>
    /// YAML → Cedar JSON value: quoted scalars are strings; plain <c>true</c>/<c>false</c> are booleans;
    /// plain integers are Longs; anything else is a string; mappings are records (or <c>__entity</c>/<c>__extn</c> escapes).
    /// </summary>
    internal static JsonElement ToJson(YamlNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();

        static void Write(Utf8JsonWriter w, YamlNode n)
        {
            switch (n)
            {
                case YamlMappingNode m:
                    w.WriteStartObject();
                    foreach (var (k, v) in m.Children)
                    {
                        w.WritePropertyName(((YamlScalarNode)k).Value ?? "");
                        Write(w, v);
                    }

                    w.WriteEndObject();
                    break;
                case YamlSequenceNode s:
                    w.WriteStartArray();
                    foreach (var item in s.Children)
                    {
                        Write(w, item);
                    }

                    w.WriteEndArray();
                    break;
                case YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } p when p.Value is "true" or "false":
                    w.WriteBooleanValue(p.Value == "true");
                    break;
                case YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } p when long.TryParse(p.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                    w.WriteNumberValue(l);
                    break;
                case YamlScalarNode p:
                    w.WriteStringValue(p.Value ?? "");
                    break;
                default:
                    w.WriteNullValue();
                    break;
            }
        }
    }

    private List<IPNetwork> TrustedProxies(List<string?>? proxies)
    {
        var result = new List<IPNetwork>();
        for (var i = 0; i < (proxies?.Count ?? 0); i++)
        {
            var text = proxies![i] ?? "";
            if (IPNetwork.TryParse(text, out var network))
            {
                result.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                result.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                Problem($"trustedProxies[{i}]", $"`{text}` is not an ip address or cidr range");
            }
        }

        return result;
    }

    private IPEndPoint Endpoint(string? text, string path, string fallback)
    {
        text ??= fallback;
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1:" + text["localhost:".Length..];
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':') && (text.LastIndexOf(':') > text.LastIndexOf(']')))
        {
            return endpoint;
        }

        Problem(path, $"`{text}` is not `address:port` (e.g. 127.0.0.1:8080)");
        return new IPEndPoint(IPAddress.Loopback, 0);
    }

    private Uri? HttpUrl(string text, string path)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Problem(path, $"`{text}` is not an absolute http(s) url");
            return null;
        }

        // Keys and bundles over plain http could be swapped by anyone on the path; loopback is for tests and demos.
        if (path.StartsWith("identity.", StringComparison.Ordinal) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            Problem(path, $"`{text}` must use https (plain http is accepted only for loopback addresses)");
        }

        return uri;
    }

    private string ExistingFile(string text, string path)
    {
        var full = ResolvePath(text);
        if (!File.Exists(full))
        {
            Problem(path, $"file `{full}` does not exist");
        }

        return full;
    }

    private string ResolvePath(string text) => System.IO.Path.GetFullPath(System.IO.Path.Combine(_baseDirectory, text));

    /// <summary><c>claimsToContext</c>: optional; each name non-empty and given once.</summary>
    private List<string> ClaimNames(List<string?>? values, string path)
    {
        if (values is null)
        {
            return [];
        }

        var names = NonEmptyStrings(values, path);
        foreach (var duplicate in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Problem(path, $"claim `{duplicate.Key}` is named twice");
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private List<string> NonEmptyStrings(List<string?>? values, string path)
    {
        var result = new List<string>();
        if (values is null)
        {
            Problem(path, "required");
            return result;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrEmpty(values[i]))
            {
                Problem($"{path}[{i}]", "must not be empty");
            }
            else
            {
                result.Add(values[i]!);
            }
        }

        return result;
    }

    private int PositiveInt(string? text, string path, int fallback) => Int(text, path, fallback, 1);

    private int NonNegativeInt(string? text, string path, int fallback) => Int(text, path, fallback, 0);

    private int Int(string? text, string path, int fallback, int min)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            Problem(path, $"`{text}` is not a whole number ≥ {min}");
            return fallback;
        }

        return value;
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

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex CedarPath();

    [GeneratedRegex("^(?<type>[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*)::\"(?<id>(\\\\.|[^\"\\\\])*)\"$")]
    private static partial Regex QualifiedUid();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HttpToken();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderName();

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex TrustDomainName();
}
