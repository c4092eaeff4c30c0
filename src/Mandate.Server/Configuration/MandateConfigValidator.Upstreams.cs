using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Mandate.Server.Configuration;

// `upstreams`: where allowed requests go, and the credential attached to them (a vaulted secret here;
// the `mint` form is in MandateConfigValidator.Tokens.cs).
public sealed partial class MandateConfigValidator
{
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
            var headers = RequestHeaders(u.RequestHeaders, $"{path}.requestHeaders");
            if (url is not null)
            {
                result[name] = new UpstreamConfig(name, url, credential, timeout) { RequestHeaders = headers };
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

    // `requestHeaders` of an upstream or a route: header names forwarded beyond the default allowlist.
    private List<string> RequestHeaders(List<string?>? names, string path)
    {
        var result = new List<string>();
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            var name = names![i] ?? "";
            var at = $"{path}[{i}]";
            if (!HeaderName().IsMatch(name))
            {
                Problem(at, $"`{name}` is not a valid header name");
            }
            else if (RequestHeaderRules.Framing.Contains(name))
            {
                Problem(at, $"`{name}` frames the body and is always forwarded as the body requires; do not list it");
            }
            else if (RequestHeaderRules.IsNeverForwarded(name))
            {
                Problem(at, $"`{name}` is never forwarded: credentials, hop-by-hop headers, address claims and headers that carry a url, path or method stay with Mandate");
            }
            else
            {
                result.Add(name);
            }
        }

        return result;
    }

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderName();
}
