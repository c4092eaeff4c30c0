using System.Globalization;
using System.Text.RegularExpressions;

namespace Mandate.Server.Configuration;

// `approvals`, and what routes and MCP tools add for session rules and approvals: labels, write, approval timing.
public sealed partial class MandateConfigValidator
{
    private const int MaxApprovalSeconds = 7 * 24 * 3600;
    private const int MaxWaitSeconds = 600;

    private ApprovalsConfig Approvals(ApprovalsDocument? a)
    {
        if (a is null)
        {
            return ApprovalsConfig.Default;
        }

        var expiry = TimeSpan.FromSeconds(Bounded(a.ExpirySeconds, "approvals.expirySeconds", 600, MaxApprovalSeconds));
        Uri? linkBase = a.LinkBase is null ? null : HttpUrl(a.LinkBase, "approvals.linkBase");
        WebhookConfig? webhook = null;
        if (a.Webhook is { } w)
        {
            var url = w.Url is null ? Missing<Uri?>("approvals.webhook.url", null) : HttpUrl(w.Url, "approvals.webhook.url");
            var secret = w.SecretFile is null ? Missing<string>("approvals.webhook.secretFile", "") : ReadSecret(w.SecretFile, "approvals.webhook.secretFile", 16);
            if (url is not null && secret.Length > 0)
            {
                webhook = new WebhookConfig(url, secret);
            }
        }

        var approvers = new List<ApproverConfig>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (a.Approvers?.Count ?? 0); i++)
        {
            var path = $"approvals.approvers[{i}]";
            var d = a.Approvers![i];
            var id = d?.Id ?? Missing<string>($"{path}.id", "");
            var token = d?.TokenFile is { } file ? ReadSecret(file, $"{path}.tokenFile", 16) : Missing<string>($"{path}.tokenFile", "");
            if (id.Length > 0 && !ids.Add(id))
            {
                Problem($"{path}.id", $"approver `{id}` is listed twice");
            }
            else if (id.Length > 0 && token.Length > 0)
            {
                approvers.Add(new ApproverConfig(id, token));
            }
        }

        return new ApprovalsConfig(expiry, linkBase, webhook, approvers, Flag(a.AllowSelfApproval, "approvals.allowSelfApproval", false));
    }

    private (TimeSpan? Expiry, TimeSpan Wait) RouteApproval(RouteApprovalDocument? a, string path)
    {
        if (a is null)
        {
            return (null, TimeSpan.Zero);
        }

        TimeSpan? expiry = a.ExpirySeconds is null ? null : TimeSpan.FromSeconds(Bounded(a.ExpirySeconds, $"{path}.expirySeconds", 600, MaxApprovalSeconds));
        var wait = TimeSpan.FromSeconds(Bounded(a.WaitSeconds, $"{path}.waitSeconds", 0, MaxWaitSeconds, min: 0));
        return (expiry, wait);
    }

    private Dictionary<string, McpToolConfig> McpTools(Dictionary<string, McpToolDocument?>? tools, string path)
    {
        var result = new Dictionary<string, McpToolConfig>(StringComparer.Ordinal);
        foreach (var (name, t) in tools ?? [])
        {
            var tp = $"{path}.{name}";
            if (!McpToolName().IsMatch(name))
            {
                Problem(tp, $"`{name}` is not a tool name (1-128 of letters, digits, `_`, `.`, `-`, `/`)");
                continue;
            }

            TimeSpan? expiry = t?.ApprovalExpirySeconds is null ? null : TimeSpan.FromSeconds(Bounded(t.ApprovalExpirySeconds, $"{tp}.approvalExpirySeconds", 600, MaxApprovalSeconds));
            result[name] = new McpToolConfig(Labels(t?.Labels, $"{tp}.labels"), Flag(t?.Write, $"{tp}.write", true), expiry)
            {
                Durability = Durability(t?.Durability, $"{tp}.durability"),
            };
        }

        return result;
    }

    private List<string> Labels(List<string?>? labels, string path)
    {
        var result = new List<string>();
        for (var i = 0; i < (labels?.Count ?? 0); i++)
        {
            var label = labels![i] ?? "";
            if (!LabelName().IsMatch(label))
            {
                Problem($"{path}[{i}]", $"`{label}` is not a label (1-64 of letters, digits, `_`, `-`, `.`, `:`)");
            }
            else if (!result.Contains(label, StringComparer.Ordinal))
            {
                result.Add(label);
            }
        }

        return result;
    }

    private bool Flag(string? text, string path, bool fallback) => text switch
    {
        null => fallback,
        "true" => true,
        "false" => false,
        _ => Invalid(path, $"`{text}` is not true or false", fallback),
    };

    private int Bounded(string? text, string path, int fallback, int max, int min = 1)
    {
        var value = Int(text, path, fallback, min);
        if (value > max)
        {
            Problem(path, $"at most {max.ToString(CultureInfo.InvariantCulture)}");
            return fallback;
        }

        return value;
    }

    private string ReadSecret(string file, string path, int minLength)
    {
        var full = ExistingFile(file, path);
        if (!File.Exists(full))
        {
            return "";
        }

        var secret = File.ReadAllText(full).Trim();
        if (secret.Length < minLength)
        {
            Problem(path, $"the secret must be at least {minLength} characters");
            return "";
        }

        return secret;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex LabelName();

    [GeneratedRegex("^[A-Za-z0-9_./-]{1,128}$")]
    private static partial Regex McpToolName();
}
