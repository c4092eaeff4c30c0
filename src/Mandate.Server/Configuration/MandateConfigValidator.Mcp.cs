using System.Text.RegularExpressions;
using Mandate.Server.Paths;

namespace Mandate.Server.Configuration;

// The `mcp` section: MCP servers fronted on the data plane. Same habits as the rest of the validator:
// every problem is reported with its YAML path, and validation carries on.
public sealed partial class MandateConfigValidator
{
    private static readonly string[] ReservedPaths = ["/healthz", "/readyz"];

    private McpConfig Mcp(McpDocument? d)
    {
        if (d is null)
        {
            return McpConfig.Empty;
        }

        var servers = new Dictionary<string, McpServerConfig>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, s) in d.Servers ?? [])
        {
            var path = $"mcp.servers.{name}";
            if (!McpServerName().IsMatch(name))
            {
                Problem(path, $"`{name}` is not a server name (lowercase letters, digits, `-`, `_`; it becomes part of tool ids)");
                continue;
            }

            if (s is null)
            {
                Problem(path, "a server needs `url` or `command`");
                continue;
            }

            var before = _problems.Count;
            Uri? url = null;
            var command = new List<string>();
            if (s.Url is not null && s.Command is not null)
            {
                Problem(path, "give url (a streamable http server) or command (a stdio server), not both");
            }
            else if (s.Url is not null)
            {
                url = HttpUrl(s.Url, $"{path}.url");
                if (url is not null && url.Fragment.Length > 0)
                {
                    Problem($"{path}.url", "must not have a fragment");
                }
            }
            else if (s.Command is not null)
            {
                command = NonEmptyStrings(s.Command, $"{path}.command");
                if (command.Count == 0 && s.Command.Count == 0)
                {
                    Problem($"{path}.command", "must name the program to launch");
                }
                else if (command.Count > 0 && command[0].Contains('/') && !System.IO.Path.IsPathRooted(command[0]))
                {
                    // `./tools/server` is a path, relative to this file like every other; a bare name is looked up on PATH.
                    command[0] = ResolvePath(command[0], $"{path}.command[0]");
                }
            }
            else
            {
                Problem(path, "required: url (a streamable http server) or command (a stdio server)");
            }

            var endpoint = s.Path ?? $"/mcp/{name}";
            var (canonical, rejection) = CanonicalPath.Parse(endpoint);
            if (rejection is not null || canonical is null || canonical.Value != endpoint || canonical.Query.Length > 0)
            {
                Problem($"{path}.path", $"`{endpoint}` is not a canonical path (e.g. /mcp/{name})");
            }
            else if (ReservedPaths.Contains(endpoint, StringComparer.Ordinal) || endpoint.StartsWith("/.well-known/", StringComparison.Ordinal) || endpoint.StartsWith("/mandate/", StringComparison.Ordinal))
            {
                Problem($"{path}.path", $"`{endpoint}` is reserved for the gateway's own endpoints");
            }
            else if (paths.TryGetValue(endpoint, out var other))
            {
                Problem($"{path}.path", $"`{endpoint}` is already the path of mcp server `{other}`");
            }
            else
            {
                paths[endpoint] = name;
            }

            var credential = Credential($"{path}.credential");
            if (credential is not null && url is null)
            {
                Problem($"{path}.credential", "only an http server (url) takes a credential");
            }

            var pinning = (s.Pinning ?? "deny") switch
            {
                "deny" => McpPinningMode.Deny,
                "hide" => McpPinningMode.Hide,
                "off" => McpPinningMode.Off,
                var other => Invalid($"{path}.pinning", $"`{other}` is not one of deny, hide, off", McpPinningMode.Deny),
            };

            var origins = new List<string>();
            for (var i = 0; i < (s.AllowedOrigins?.Count ?? 0); i++)
            {
                var text = s.AllowedOrigins![i] ?? "";
                if (!Uri.TryCreate(text, UriKind.Absolute, out var origin) || (origin.Scheme != Uri.UriSchemeHttp && origin.Scheme != Uri.UriSchemeHttps) ||
                    origin.GetLeftPart(UriPartial.Authority) != text.TrimEnd('/') || text.EndsWith('/'))
                {
                    Problem($"{path}.allowedOrigins[{i}]", $"`{text}` is not an origin (scheme://host[:port], no path)");
                }
                else
                {
                    origins.Add(text);
                }
            }

            var timeout = TimeSpan.FromSeconds(PositiveInt(s.TimeoutSeconds, $"{path}.timeoutSeconds", 30));
            var protocol = (s.Protocol ?? "auto") switch
            {
                "auto" => McpUpstreamEra.Auto,
                "legacy" => McpUpstreamEra.Legacy,
                "modern" => McpUpstreamEra.Modern,
                var other => Invalid($"{path}.protocol", $"`{other}` is not one of auto, legacy, modern", McpUpstreamEra.Auto),
            };
            if (s.Protocol is not null && url is null)
            {
                Problem($"{path}.protocol", "only an http server (url) is probed; a stdio server speaks the client's era");
            }
            var tools = McpTools(s.Tools, $"{path}.tools");
            if (_problems.Count == before)
            {
                servers[name] = new McpServerConfig(name, url, command, endpoint, credential, pinning, origins, timeout)
                {
                    Tools = tools,
                    WorkingDirectory = command.Count > 0 ? _baseDirectory : null,
                    Protocol = protocol,
                };
            }
        }

        var authorizationServers = new List<Uri>();
        for (var i = 0; i < (d.AuthorizationServers?.Count ?? 0); i++)
        {
            if (HttpUrl(d.AuthorizationServers![i] ?? "", $"mcp.authorizationServers[{i}]") is { } uri)
            {
                authorizationServers.Add(uri);
            }
        }

        Uri? publicBase = null;
        if (d.PublicBaseUrl is not null)
        {
            publicBase = HttpUrl(d.PublicBaseUrl, "mcp.publicBaseUrl");
            if (publicBase is not null && (publicBase.AbsolutePath != "/" || publicBase.Query.Length > 0))
            {
                Problem("mcp.publicBaseUrl", "must be scheme://host[:port] without a path");
            }
        }

        return new McpConfig(servers, PositiveInt(d.MaxRequestBytes, "mcp.maxRequestBytes", McpConfig.DefaultMaxRequestBytes), authorizationServers, publicBase);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex McpServerName();
}
