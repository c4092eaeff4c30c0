using System.Globalization;
using System.Net;

namespace Mandate.Server.Configuration;

// `decisionApis`: the AuthZEN endpoints (clients, their API keys and subject scopes, the type map, paging), and the
// Envoy ext_authz and nginx auth_request check endpoints (path, trusted peers).
public sealed partial class MandateConfigValidator
{
    private DecisionApisConfig DecisionApis(DecisionApisDocument? d, string ns, McpConfig mcp)
    {
        if (d is null)
        {
            return DecisionApisConfig.Empty;
        }

        var authzen = d.AuthZen is null ? null : AuthZen(d.AuthZen, ns);
        var envoy = d.Envoy is null ? null : CheckFront(d.Envoy, "decisionApis.envoy", "/envoy/check");
        var nginx = d.Nginx is null ? null : CheckFront(d.Nginx, "decisionApis.nginx", "/nginx/check");
        if (envoy is not null && nginx is not null && (envoy.Path.StartsWith(nginx.Path, StringComparison.Ordinal) || nginx.Path.StartsWith(envoy.Path, StringComparison.Ordinal)))
        {
            Problem("decisionApis.nginx.path", $"`{nginx.Path}` overlaps the envoy check path `{envoy.Path}`");
        }

        foreach (var (front, name) in new[] { (envoy, "envoy"), (nginx, "nginx") })
        {
            if (front is not null && mcp.Servers.Values.Any(s => s.Path.StartsWith(front.Path, StringComparison.Ordinal)))
            {
                Problem($"decisionApis.{name}.path", $"`{front.Path}` overlaps an MCP endpoint");
            }
        }

        return new DecisionApisConfig(authzen, envoy, nginx);
    }

    private AuthZenConfig AuthZen(AuthZenDocument a, string ns)
    {
        const string path = "decisionApis.authzen";
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, cedar) in a.Types ?? [])
        {
            if (string.IsNullOrEmpty(cedar))
            {
                Problem($"{path}.types.{name}", "a cedar entity type is required");
                continue;
            }

            types[name] = EntityType(cedar, $"{path}.types.{name}", ns);
        }

        if (types.Count == 0)
        {
            Problem($"{path}.types", "map at least one AuthZEN type to a cedar entity type (e.g. `user: User`)");
        }

        var clients = new List<DecisionClientConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (a.Clients?.Count ?? 0); i++)
        {
            if (Client(a.Clients![i], $"{path}.clients[{i}]", types) is { } client)
            {
                if (!names.Add(client.Name))
                {
                    Problem($"{path}.clients[{i}].name", $"`{client.Name}` is used twice");
                }

                clients.Add(client);
            }
        }

        if (clients.Count == 0 && _problems.All(p => !p.Path.StartsWith($"{path}.clients", StringComparison.Ordinal)))
        {
            Problem($"{path}.clients", "at least one client is required: nobody could ask otherwise");
        }

        var pageSize = PositiveInt(a.PageSize, $"{path}.pageSize", 50);
        var maxPageSize = PositiveInt(a.MaxPageSize, $"{path}.maxPageSize", 1000);
        if (pageSize > maxPageSize)
        {
            Problem($"{path}.pageSize", $"must not exceed maxPageSize ({maxPageSize})");
        }

        var maxEvaluations = PositiveInt(a.MaxEvaluations, $"{path}.maxEvaluations", 1000);
        Uri? baseUrl = null;
        if (a.BaseUrl is { } text && HttpUrl(text, $"{path}.baseUrl") is { } url)
        {
            if (url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                Problem($"{path}.baseUrl", "must not have a query or fragment");
            }

            baseUrl = url;
        }

        return new AuthZenConfig(clients, types, pageSize, maxPageSize, maxEvaluations, baseUrl);
    }

    private DecisionClientConfig? Client(DecisionClientDocument? c, string path, Dictionary<string, string> types)
    {
        if (c is null)
        {
            Problem(path, "a client needs `name`, `agent` or `apiKeySha256`, and `subjects`");
            return null;
        }

        var before = _problems.Count;
        var name = c.Name ?? Missing($"{path}.name", "");
        byte[]? key = null;
        if ((c.Agent is null) == (c.ApiKeySha256 is null))
        {
            Problem(path, "give exactly one of `agent` (a JWT or certificate caller) and `apiKeySha256`");
        }
        else if (c.ApiKeySha256 is { } hex)
        {
            if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            {
                Problem($"{path}.apiKeySha256", "must be the 64 hex digits of the key's SHA-256 (e.g. `printf %s \"$KEY\" | sha256sum`)");
            }
            else
            {
                key = Convert.FromHexString(hex);
            }
        }
        else if (c.Agent!.Length == 0)
        {
            Problem($"{path}.agent", "must not be empty");
        }

        var subjects = new List<SubjectScope>();
        var patterns = NonEmptyStrings(c.Subjects, $"{path}.subjects");
        for (var i = 0; i < patterns.Count; i++)
        {
            var text = patterns[i];
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var id = colon < 0 ? "" : text[(colon + 1)..];
            if (colon <= 0 || id.Length == 0 || id.IndexOf('*', StringComparison.Ordinal) is var star && star >= 0 && star != id.Length - 1)
            {
                Problem($"{path}.subjects[{i}]", $"`{text}` is not `type:id` or `type:prefix*` (e.g. `user:*`)");
            }
            else if (!types.TryGetValue(text[..colon], out var cedar))
            {
                Problem($"{path}.subjects[{i}]", $"`{text[..colon]}` is not a type of decisionApis.authzen.types");
            }
            else
            {
                subjects.Add(new SubjectScope(text, cedar, id));
            }
        }

        return _problems.Count == before ? new DecisionClientConfig(name, c.Agent, key, subjects) : null;
    }

    private CheckFrontConfig CheckFront(CheckFrontDocument c, string path, string fallback)
    {
        var endpoint = c.Path ?? fallback;
        if (!endpoint.StartsWith('/') || endpoint.Length < 2 || endpoint.EndsWith('/') || endpoint.Any(ch => ch < 0x21 || ch > 0x7E || ch is '?' or '#' or '%'))
        {
            Problem($"{path}.path", $"`{endpoint}` is not an absolute path like `{fallback}`");
        }
        else if (endpoint.StartsWith("/access/", StringComparison.Ordinal) || endpoint.StartsWith("/oauth2/", StringComparison.Ordinal) ||
                 endpoint.StartsWith("/.well-known/", StringComparison.Ordinal) || endpoint is "/healthz" or "/readyz")
        {
            Problem($"{path}.path", $"`{endpoint}` is one of Mandate's own paths");
        }

        if (c.Peers is null || c.Peers.Count == 0)
        {
            Problem($"{path}.peers", "required: the addresses of the proxies that may ask (checks from elsewhere are refused)");
        }

        var peers = new List<IPNetwork>();
        for (var i = 0; i < (c.Peers?.Count ?? 0); i++)
        {
            var text = c.Peers![i] ?? "";
            if (IPNetwork.TryParse(text, out var network))
            {
                peers.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                peers.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                Problem($"{path}.peers[{i}]", string.Create(CultureInfo.InvariantCulture, $"`{text}` is not an ip address or cidr range"));
            }
        }

        return new CheckFrontConfig(endpoint, peers);
    }
}
