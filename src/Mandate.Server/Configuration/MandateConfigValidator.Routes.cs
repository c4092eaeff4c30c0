using System.Text.RegularExpressions;
using Mandate.Core.Decisions;
using Mandate.Server.Paths;

namespace Mandate.Server.Configuration;

// `routes`: method + path template → Cedar action and resource entity → upstream.
public sealed partial class MandateConfigValidator
{
    private const int MaxArgsBytes = 16 * 1024 * 1024;

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
                else if (t is not null && r.Path.StartsWith("/mandate/", StringComparison.Ordinal))
                {
                    Problem($"{path}.path", $"`{r.Path}` is under /mandate/, which is reserved for the gateway's own endpoints (approval status)");
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

            var labels = Labels(r.Labels, $"{path}.labels");
            var write = Flag(r.Write, $"{path}.write", method is not ("GET" or "HEAD" or "OPTIONS"));
            var (approvalExpiry, approvalWait) = RouteApproval(r.Approval, $"{path}.approval");
            var headers = RequestHeaders(r.RequestHeaders, $"{path}.requestHeaders");
            var nonAscii = (r.NonAscii ?? "refuse") switch
            {
                "refuse" => false,
                "allow" => true,
                var other => Invalid($"{path}.nonAscii", $"`{other}` is not one of refuse, allow", false),
            };
            var dpop = (r.Dpop ?? "optional") switch
            {
                "optional" => false,
                "required" => true,
                var other => Invalid($"{path}.dpop", $"`{other}` is not one of optional, required", false),
            };

            var durability = Durability(r.Durability, $"{path}.durability");

            if (_problems.Count == before)
            {
                var upstreamHeaders = upstreams.TryGetValue(r.Upstream!, out var upstream) ? upstream.RequestHeaders : [];
                result.Add(new RouteConfig(i, method, template!, action!, resource!, r.Upstream!)
                {
                    Args = args,
                    ArgsMaxBytes = argsMaxBytes,
                    Labels = labels,
                    Write = write,
                    ApprovalExpiry = approvalExpiry,
                    ApprovalWait = approvalWait,
                    ForwardedHeaders = RequestHeaderRules.Forwarded(upstreamHeaders, headers),
                    NonAsciiPaths = nonAscii,
                    DpopRequired = dpop,
                    Durability = durability,
                });
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

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HttpToken();
}
