using Mandate.Server.Configuration;

namespace Mandate.Server.Lifecycle.Report;

/// <summary>
/// Assesses each Mandate control against a configuration and its policy set, with counts from the audit log as
/// evidence. Every configured route, MCP tool and MCP server is reported under exactly one control: step-up when a
/// step-up forbid covers all its calls, otherwise per-call authorization (routes) or MCP tool authorization (tools and
/// servers). A route or tool is a write as the configuration says (`write`, by default every method but GET, HEAD and
/// OPTIONS, and every declared tool). The thresholds that make a gap are stated with the gap.
/// </summary>
public static class ControlAssessor
{
    /// <summary>Longest task-token lifetime not reported as a gap: "minutes long".</summary>
    public static readonly TimeSpan LongestShortLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Deepest delegation not reported as a gap (the default).</summary>
    public const int DeepestPlainDelegation = 4;

    /// <summary>Each control of the catalogue, by id.</summary>
    public static IReadOnlyDictionary<string, ControlAssessment> Assess(MandateConfig config, PolicyFacts policies, AuditEvidence? audit)
    {
        var a = new Dictionary<string, ControlAssessment>(StringComparer.Ordinal);
        long E(string name) => audit?.Count(name) ?? 0;
        Dictionary<string, long> Evidence(params string[] names) =>
            audit is null ? [] : names.ToDictionary(n => n, E, StringComparer.Ordinal);

        // Which routes and tools a step-up covers, and which writes it does not.
        var stepUpSubjects = new List<string>();
        var perCallSubjects = new List<string>();
        var mcpSubjects = new List<string>();
        var uncoveredWrites = new List<string>();
        foreach (var route in config.Routes)
        {
            var name = $"route {route.Method} {route.Path.Text}";
            if (policies.StepUpFor(route) is { } policy)
            {
                stepUpSubjects.Add($"{name} (by {policy})");
            }
            else
            {
                perCallSubjects.Add(name);
                if (route.Write)
                {
                    uncoveredWrites.Add($"{name} writes and no @step_up forbid covers every call of it");
                }
            }
        }

        foreach (var server in config.Mcp.Servers.Values)
        {
            mcpSubjects.Add($"mcp-server {server.Name}");
            foreach (var (tool, settings) in server.Tools)
            {
                var name = $"tool {server.Name}/{tool}";
                if (policies.StepUpFor(config.Policies.Namespace, server.Name, tool) is { } policy)
                {
                    stepUpSubjects.Add($"{name} (by {policy})");
                }
                else
                {
                    mcpSubjects.Add(name);
                    if (settings.Write)
                    {
                        uncoveredWrites.Add($"{name} writes and no @step_up forbid covers every call of it");
                    }
                }
            }
        }

        var identity = config.Identity;
        a["workload-identity"] = new(
            identity.Oidc.Count + identity.Spiffe.Count > 0 ? ControlStatus.InForce : ControlStatus.Missing,
            [
                .. identity.Oidc.Select(o => $"OIDC issuer {o.Issuer}: {string.Join(", ", o.Algorithms)}"),
                .. identity.Spiffe.Select(s => $"SPIFFE trust domain {s.TrustDomain}{(s.X509Bundle is null ? "" : " (X.509-SVID over mTLS too)")}"),
            ],
            identity.Oidc.Count + identity.Spiffe.Count > 0 ? [] : ["no issuer or trust domain is configured"],
            [],
            Evidence("decisions.allow", "decisions.deny"));

        var tokens = config.Tokens;
        if (tokens is null)
        {
            a["task-tokens"] = new(ControlStatus.Missing, [], ["no `tokens` section: agents use their workload credentials directly, for as long as those last"], [], Evidence());
            a["delegation-narrowing"] = new(ControlStatus.Missing, [], ["no `tokens` section: no delegation tokens are issued, so nothing narrows what a sub-agent receives"], [], Evidence());
            a["sender-constrained-tokens"] = new(ControlStatus.Missing, [], ["no `tokens` section"], [], Evidence());
            a["revocation"] = new(ControlStatus.Missing, [], ["no `tokens` section: there are no task tokens to revoke (workload credentials are revoked at their issuer)"], [], Evidence());
        }
        else
        {
            var tokenGaps = new List<string>();
            if (tokens.MaxLifetime > LongestShortLifetime)
            {
                tokenGaps.Add($"tokens.maxLifetimeSeconds is {tokens.MaxLifetime.TotalSeconds:0} s, more than {LongestShortLifetime.TotalSeconds:0} s");
            }

            if (tokens.OutOfTask != OutOfTaskMode.Deny)
            {
                tokenGaps.Add("tokens.outOfTask is `policy`: calls outside the declared task are left to policy instead of refused");
            }

            a["task-tokens"] = new(
                tokenGaps.Count == 0 ? ControlStatus.InForce : ControlStatus.Partial,
                [$"lifetime {tokens.DefaultLifetime.TotalSeconds:0} s by default, at most {tokens.MaxLifetime.TotalSeconds:0} s", $"calls outside the task: {(tokens.OutOfTask == OutOfTaskMode.Deny ? "refused" : "left to policy")}"],
                tokenGaps,
                [],
                Evidence("front.oauth", "refused.out_of_task"));
            a["delegation-narrowing"] = new(
                tokens.MaxDepth > DeepestPlainDelegation ? ControlStatus.Partial : ControlStatus.InForce,
                [$"delegation depth at most {tokens.MaxDepth}", "a hop that widens its parent is refused"],
                tokens.MaxDepth > DeepestPlainDelegation ? [$"tokens.maxDepth is {tokens.MaxDepth}, deeper than {DeepestPlainDelegation}"] : [],
                [],
                Evidence());
            var dpopRoutes = config.Routes.Count(r => r.DpopRequired);
            a["sender-constrained-tokens"] = new(
                tokens.Dpop == DpopMode.Required ? ControlStatus.InForce : ControlStatus.Partial,
                [$"tokens.dpop: {(tokens.Dpop == DpopMode.Required ? "required" : "optional")}", $"{dpopRoutes} route(s) require DPoP"],
                tokens.Dpop == DpopMode.Required ? [] : ["task tokens may be used as bearer tokens (tokens.dpop: optional)"],
                [],
                Evidence());
            a["revocation"] = new(ControlStatus.InForce, ["revoking a token, session, user or agent reaches its whole delegation tree on the next call"], [], [], Evidence("revocations", "refused.revoked"));
        }

        var policyCount = policies.Policies.Count;
        a["per-call-authorization"] = new(
            ControlStatus.InForce,
            [$"{policyCount} Cedar policies; default deny", $"{config.Routes.Count} route(s), {config.Mcp.Servers.Count} MCP server(s)"],
            [],
            perCallSubjects,
            Evidence("decisions.allow", "decisions.deny", "decisions.error", "front.http", "front.authzen", "front.envoy", "front.nginx"));

        var stepUpIds = policies.StepUpIds.ToArray();
        var approvers = config.Approvals.Approvers.Count;
        var stepUpGaps = new List<string>(uncoveredWrites);
        if (stepUpIds.Length > 0 && approvers == 0)
        {
            stepUpGaps.Add("step-up policies exist but approvals.approvers names nobody to approve");
        }

        a["step-up-approval"] = new(
            stepUpIds.Length == 0 ? ControlStatus.Missing : stepUpGaps.Count == 0 ? ControlStatus.InForce : ControlStatus.Partial,
            [$"{stepUpIds.Length} @step_up forbid(s){(stepUpIds.Length == 0 ? "" : ": " + string.Join(", ", stepUpIds))}", $"{approvers} approver(s)", config.Approvals.AllowSelfApproval ? "self-approval allowed" : "nobody approves their own agent's call"],
            stepUpIds.Length == 0 ? [.. uncoveredWrites.DefaultIfEmpty("no policy carries @step_up")] : stepUpGaps,
            stepUpSubjects,
            Evidence("approvals.required", "kind.approval_decided", "kind.approval_consumed", "kind.approval_expired"));

        var labelled = config.Routes.Count(r => r.Labels.Count > 0) + config.Mcp.Servers.Values.Sum(s => s.Tools.Values.Count(t => t.Labels.Count > 0));
        var sessionRules = policies.SessionRules;
        a["session-rules"] = new(
            sessionRules.Count == 0 ? ControlStatus.Missing : labelled == 0 ? ControlStatus.Partial : ControlStatus.InForce,
            [$"{sessionRules.Count} session rule(s){(sessionRules.Count == 0 ? "" : ": " + string.Join(", ", sessionRules))}", $"{labelled} labelled route(s) and tool(s)"],
            sessionRules.Count == 0
                ? ["no policy reads the session's history (labels_seen, writes, calls, tools_used) or the agent's rate"]
                : labelled == 0 ? ["session rules exist but no route or tool carries `labels`, so taint rules never see a label"] : [],
            [],
            audit is null ? [] : new Dictionary<string, long> { ["denies by session rules"] = sessionRules.Sum(r => audit.DeniedBy.GetValueOrDefault(r)) });

        var servers = config.Mcp.Servers.Values.ToArray();
        a["mcp-tool-authorization"] = new(
            servers.Length == 0 ? ControlStatus.NotUsed : ControlStatus.InForce,
            servers.Length == 0 ? ["no MCP servers are fronted"] : ["tools/call decided with the tool's arguments; tools/list filtered to what the caller could use"],
            [],
            mcpSubjects,
            Evidence("front.mcp"));
        var unpinned = servers.Where(s => s.Pinning == McpPinningMode.Off).Select(s => s.Name).ToArray();
        a["mcp-tool-pinning"] = new(
            servers.Length == 0 ? ControlStatus.NotUsed : unpinned.Length == 0 ? ControlStatus.InForce : unpinned.Length == servers.Length ? ControlStatus.Missing : ControlStatus.Partial,
            servers.Length == 0 ? ["no MCP servers are fronted"] : servers.Select(s => $"{s.Name}: pinning {s.Pinning.ToString().ToLowerInvariant()}").ToArray(),
            unpinned.Select(n => $"mcp.servers.{n}.pinning is off: a changed tool definition reaches agents unreviewed").ToArray(),
            [],
            Evidence());

        var vaulted = config.Upstreams.Values.Where(u => u.Credential is { Mint: null }).Select(u => $"upstream {u.Name}")
            .Concat(servers.Where(s => s.Credential is { Mint: null }).Select(s => $"mcp-server {s.Name}")).ToArray();
        a["vaulted-credentials"] = new(vaulted.Length == 0 ? ControlStatus.NotUsed : ControlStatus.InForce,
            vaulted.Length == 0 ? ["no upstream takes a static key"] : vaulted.Select(v => $"{v}: key from the vault, attached after an allow").ToArray(), [], [], Evidence());

        var auditGaps = new List<string>();
        if (audit is { Verification.Problem: { } problem })
        {
            auditGaps.Add($"audit verify fails: {problem.Code} at seq {problem.Seq}: {problem.Message}");
        }

        a["tamper-evident-audit"] = new(
            auditGaps.Count == 0 ? ControlStatus.InForce : ControlStatus.Partial,
            [
                "hash-chained records; signed checkpoints every " + $"{config.Audit.CheckpointEvery} records or {config.Audit.CheckpointSeconds} s",
                "a request is forwarded only after its decision record is durable",
                .. audit is null ? (IEnumerable<string>)["audit log not read (no --data-dir)"] : [$"verify: {(audit.Verification.Ok ? "ok" : "FAILED")}, {audit.Verification.Records} records, {audit.Verification.Checkpoints} checkpoints"],
            ],
            auditGaps,
            [],
            audit is null ? [] : new Dictionary<string, long> { ["records in window"] = audit.Records });

        a["fail-closed"] = new(ControlStatus.InForce, ["any error of identity, store, evaluation or audit write ends in deny, recorded"], [], [], Evidence("decisions.error"));
        a["input-hardening"] = new(ControlStatus.InForce, ["canonical paths (no encoded slashes, dot segments or look-alikes)", "JSON with duplicate keys refused", "request header families filtered"], [], [], Evidence());

        var apis = new[] { config.DecisionApis.AuthZen is null ? null : "AuthZEN", config.DecisionApis.Envoy is null ? null : "Envoy ext_authz", config.DecisionApis.Nginx is null ? null : "nginx auth_request" }
            .OfType<string>().ToArray();
        a["decision-apis"] = new(apis.Length == 0 ? ControlStatus.NotUsed : ControlStatus.InForce,
            apis.Length == 0 ? ["no decision API is enabled"] : apis.Select(x => x + " enabled").ToArray(), [], [], Evidence("front.authzen", "front.envoy", "front.nginx"));

        a["policy-change-control"] = new(
            config.Policies.SchemaFile is null ? ControlStatus.Partial : ControlStatus.InForce,
            [
                config.Policies.SchemaFile is null ? "no schema" : "policies validated (strict) against the schema on every load",
                "reloads, refused reloads and promotions recorded",
                config.Policies.ShadowDirectory is { } candidate ? $"candidate set decided in shadow: {candidate}" : "no candidate set in shadow (policies.shadow)",
                "policy tests: mandate policy test",
            ],
            config.Policies.SchemaFile is null ? ["policies.schema is not set: a policy with a typo in an attribute name loads and silently never applies"] : [],
            [],
            Evidence("kind.policy_reload", "kind.policy_refused", "kind.policy_promoted", "kind.shadow_disagreement"));

        a["anomaly-detection"] = new(ControlStatus.NotBuilt, [], ["risk scoring and anomaly detection are not built yet"], [], Evidence());
        return a;
    }
}
