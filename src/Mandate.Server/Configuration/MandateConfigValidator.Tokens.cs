using YamlDotNet.RepresentationModel;

namespace Mandate.Server.Configuration;

// The `tokens` section and the `credential.mint` form of an upstream credential.
public sealed partial class MandateConfigValidator
{
    private TokensConfig? Tokens(TokensDocument? t)
    {
        var node = _index["tokens"];
        if (t is null || node is null || YamlNodeIndex.IsNull(node))
        {
            return null;
        }

        var issuer = t.Issuer ?? Missing("tokens.issuer", "");
        if (issuer.Length > 0)
        {
            var uri = HttpUrl(issuer, "tokens.issuer");
            if (uri is not null && (uri.Query.Length > 0 || uri.Fragment.Length > 0))
            {
                Problem("tokens.issuer", "must not have a query or fragment");
            }
        }

        var defaultLifetime = PositiveInt(t.DefaultLifetimeSeconds, "tokens.defaultLifetimeSeconds", 300);
        var maxLifetime = PositiveInt(t.MaxLifetimeSeconds, "tokens.maxLifetimeSeconds", 3600);
        if (defaultLifetime > maxLifetime)
        {
            Problem("tokens.defaultLifetimeSeconds", $"must not exceed maxLifetimeSeconds ({maxLifetime})");
        }
        if (maxLifetime > 86_400)
        {
            Problem("tokens.maxLifetimeSeconds", "must be at most 86400 (a task token lives minutes, not days)");
        }

        var maxDepth = PositiveInt(t.MaxDepth, "tokens.maxDepth", 4);
        if (maxDepth > 16)
        {
            Problem("tokens.maxDepth", "must be at most 16");
        }

        var audiences = t.Audiences is null ? (issuer.Length > 0 ? [issuer] : []) : NonEmptyStrings(t.Audiences, "tokens.audiences");
        if (t.Audiences is not null && audiences.Count == 0)
        {
            Problem("tokens.audiences", "at least one audience is required when the list is given");
        }

        var subjects = new List<SubjectIssuerConfig>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (t.SubjectIssuers?.Count ?? 0); i++)
        {
            var path = $"tokens.subjectIssuers[{i}]";
            var s = t.SubjectIssuers![i];
            if (s is null)
            {
                Problem(path, "a subject issuer needs `issuer` and `audience`");
                continue;
            }
            var subjectIssuer = s.Issuer ?? Missing($"{path}.issuer", "");
            if (subjectIssuer.Length > 0)
            {
                // Validated like identity issuers: https, or http only on loopback.
                _ = HttpUrlForIssuer(subjectIssuer, $"{path}.issuer");
                if (!seen.Add(subjectIssuer))
                {
                    Problem($"{path}.issuer", $"`{subjectIssuer}` is listed twice");
                }
                if (subjectIssuer == issuer)
                {
                    Problem($"{path}.issuer", "must differ from tokens.issuer (task tokens are exchanged as parent tokens, not as user tokens)");
                }
            }
            var audience = string.IsNullOrEmpty(s.Audience) ? Missing($"{path}.audience", "") : s.Audience;
            var jwks = s.JwksUrl is null ? null : HttpUrlForIssuer(s.JwksUrl, $"{path}.jwksUrl");
            subjects.Add(new SubjectIssuerConfig(subjectIssuer, audience, jwks));
        }

        var outOfTask = (t.OutOfTask ?? "deny") switch
        {
            "deny" => OutOfTaskMode.Deny,
            "policy" => OutOfTaskMode.Policy,
            var other => Invalid("tokens.outOfTask", $"`{other}` is not one of deny, policy", OutOfTaskMode.Deny),
        };
        var dpop = (t.Dpop ?? "optional") switch
        {
            "optional" => DpopMode.Optional,
            "required" => DpopMode.Required,
            var other => Invalid("tokens.dpop", $"`{other}` is not one of optional, required", DpopMode.Optional),
        };

        return new TokensConfig(issuer, TimeSpan.FromSeconds(defaultLifetime), TimeSpan.FromSeconds(maxLifetime), maxDepth, audiences, subjects, outOfTask, dpop);
    }

    // Keys of a trusted issuer over plain http could be swapped by anyone on the path; loopback is for tests and demos.
    private Uri? HttpUrlForIssuer(string text, string path)
    {
        var uri = HttpUrl(text, path);
        if (uri is not null && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            Problem(path, $"`{text}` must use https (plain http is accepted only for loopback addresses)");
        }
        return uri;
    }

    /// <summary><c>credential: { mint: { audience, scopes, lifetimeSeconds } }</c>.</summary>
    private MintCredentialConfig? Mint(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            Problem(path, "must be a mapping {audience, scopes, lifetimeSeconds}");
            return null;
        }

        string? audience = null;
        string? lifetime = null;
        var scopes = new List<string>();
        foreach (var (k, v) in mapping.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            switch (key)
            {
                case "audience" when v is YamlScalarNode a:
                    audience = a.Value;
                    break;
                case "lifetimeSeconds" when v is YamlScalarNode l:
                    lifetime = l.Value;
                    break;
                case "scopes" when v is YamlSequenceNode list:
                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        if (list.Children[i] is YamlScalarNode { Value: { Length: > 0 } scope } && !scope.Contains(' '))
                        {
                            scopes.Add(scope);
                        }
                        else
                        {
                            Problem($"{path}.scopes[{i}]", "must be a scope (a non-empty value without spaces)");
                        }
                    }
                    break;
                case "audience" or "lifetimeSeconds" or "scopes":
                    Problem($"{path}.{key}", key == "scopes" ? "expected a list" : "expected a single value");
                    break;
                default:
                    Problem($"{path}.{key}", $"unknown key `{key}` (known: audience, lifetimeSeconds, scopes)");
                    break;
            }
        }

        if (string.IsNullOrEmpty(audience))
        {
            Problem($"{path}.audience", "required: the audience of the minted token (the upstream)");
        }
        var seconds = PositiveInt(lifetime, $"{path}.lifetimeSeconds", 60);
        if (seconds > 3600)
        {
            Problem($"{path}.lifetimeSeconds", "must be at most 3600");
        }
        return new MintCredentialConfig(audience ?? "", scopes, TimeSpan.FromSeconds(seconds));
    }
}
