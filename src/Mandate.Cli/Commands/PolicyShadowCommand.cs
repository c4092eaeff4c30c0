using System.CommandLine;
using Mandate.Core.Audit;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate policy shadow report|status|promote</c>: what the shadow (candidate) policy set would have changed,
/// read from the audit log; its counts on a running gateway; and promotion of the candidate folder to the live set
/// through the control plane (recorded as <c>policy_promoted</c>). Exit 0 done, 1 refused or unreachable, 2 bad input.
/// </summary>
internal static class PolicyShadowCommand
{
    /// <summary>Builds the <c>shadow</c> subcommand.</summary>
    public static Command Create()
    {
        var dataDir = AuditCommand.DataDirOption();
        var since = new Option<string?>("--since") { Description = "Only disagreements at or after this time: ISO 8601, or relative like -2h, -7d (default: all)." };
        var examples = new Option<int>("--examples") { Description = "Example decision ids per flip (default 3).", DefaultValueFactory = _ => 3 };
        var report = new Command("report", "List the calls the shadow set would have answered differently, grouped by flip, with counts and example decision ids.") { dataDir, since, examples };
        report.SetAction((parse, ct) => ReportAsync(parse, parse.GetValue(dataDir)!, parse.GetValue(since), Math.Max(0, parse.GetValue(examples)), ct));

        var adminUrl = new Option<string>("--admin-url") { Description = "The control plane's base URL, e.g. http://127.0.0.1:8081.", Required = true };
        var tokenFile = new Option<string>("--token-file") { Description = "File holding the admin token.", Required = true };
        var status = new Command("status", "The shadow set of a running gateway and its counts since start.") { adminUrl, tokenFile };
        status.SetAction((parse, ct) => ApprovalsCommand.SendAsync(parse, adminUrl, tokenFile, HttpMethod.Get, "/v1/policies/shadow", null, ct));
        var promote = new Command("promote", "Make the candidate folder (policies.shadow) the live policy set: recorded, copied, reloaded.") { adminUrl, tokenFile };
        promote.SetAction((parse, ct) => ApprovalsCommand.SendAsync(parse, adminUrl, tokenFile, HttpMethod.Post, "/v1/policies/shadow/promote", null, ct));

        return new Command("shadow", "Shadow (candidate) policies decided beside the live set: report, status, promote.") { report, status, promote };
    }

    private static async Task<int> ReportAsync(ParseResult parse, string dataDir, string? since, int examples, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        if (!AuditCommand.TryParseTime(since, DateTimeOffset.UtcNow, out var sinceTime))
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("error: --since takes an ISO 8601 time or a relative time like -2h, -7d");
            return 2;
        }

        var options = new SqliteAuditOptions { DataDirectory = dataDir };
        if (await AuditCommand.MissingLogAsync(parse, options))
        {
            return 1;
        }

        var flips = new Dictionary<(string Flip, string Action, string Resource), (long Count, List<string> Examples, HashSet<string> Policies)>();
        var reader = new SqliteAuditReader(options);
        await foreach (var entry in reader.QueryAsync(new AuditQuery { Kind = AuditEvent.Kinds.ShadowDisagreement, Since = sinceTime }, ct))
        {
            var e = entry.Event;
            var flip = $"{e.Details.GetValueOrDefault("live", "?")}->{e.Decision}";
            var key = (flip, e.Action ?? "?", ResourceType(e.Resource));
            var (count, ids, policies) = flips.TryGetValue(key, out var seen) ? seen : (0, new List<string>(), new HashSet<string>(StringComparer.Ordinal));
            if (ids.Count < examples) ids.Add(e.DecisionId);
            foreach (var p in e.Decision == "deny" ? e.Policies : (e.Details.GetValueOrDefault("live_policies") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)) policies.Add(p);
            flips[key] = (count + 1, ids, policies);
        }

        foreach (var ((flip, action, resource), (count, ids, policies)) in flips.OrderByDescending(f => f.Value.Count).ThenBy(f => f.Key))
        {
            var by = policies.Count == 0 ? "" : $"  ({(flip.EndsWith("deny", StringComparison.Ordinal) ? "shadow denies by" : "live denied by")} {string.Join(", ", policies.Order(StringComparer.Ordinal))})";
            await output.WriteLineAsync($"{flip,-12} {count,6}  {action} on {resource}{by}");
            if (ids.Count > 0) await output.WriteLineAsync($"{"",-12} {"",6}  e.g. {string.Join(", ", ids)}");
        }

        var toDeny = flips.Where(f => f.Key.Flip == "allow->deny").Sum(f => f.Value.Count);
        var toAllow = flips.Where(f => f.Key.Flip == "deny->allow").Sum(f => f.Value.Count);
        await output.WriteLineAsync($"{toDeny + toAllow} disagreements: {toDeny} allow->deny, {toAllow} deny->allow");
        return 0;
    }

    // `Ns::Type::"id"` → `Ns::Type`: flips are grouped by the kind of thing, the examples name the instances.
    private static string ResourceType(string? uid) =>
        uid is null ? "?" : uid.IndexOf("::\"", StringComparison.Ordinal) is var i and > 0 ? uid[..i] : uid;
}
