using System.Globalization;
using System.Text;
using Mandate.Core.Audit;
using Mandate.Core.Decisions;
using Mandate.Server.Lifecycle.Testing;

namespace Mandate.Server.Lifecycle.Suggest;

/// <summary>An allowed call as the audit log recorded it.</summary>
/// <param name="Agent">The agent (the Cedar principal's id).</param>
/// <param name="Action">The action.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Policies">The permits that determined the allow.</param>
public sealed record AllowedCall(string Agent, EntityRef Action, EntityRef Resource, IReadOnlyList<string> Policies);

/// <summary>A suggested permit: exactly what one agent used on one resource type, and the evidence.</summary>
/// <param name="Agent">The agent.</param>
/// <param name="Actions">The actions it used on the type, ordered.</param>
/// <param name="ResourceType">The resource type.</param>
/// <param name="Resources">The resources it used, when few enough to list; null when the permit covers the type.</param>
/// <param name="Calls">Allowed calls behind it.</param>
/// <param name="AllowedBy">The live permits that allowed those calls, with counts.</param>
public sealed record SuggestedPermit(
    string Agent,
    IReadOnlyList<EntityRef> Actions,
    string ResourceType,
    IReadOnlyList<EntityRef>? Resources,
    long Calls,
    IReadOnlyDictionary<string, long> AllowedBy);

/// <summary>What <see cref="PermitSuggester"/> found in a window.</summary>
/// <param name="Since">Start of the window.</param>
/// <param name="Permits">Suggested permits, by agent then resource type.</param>
/// <param name="UnusedGrants">Live permits that determined no allow in the window.</param>
/// <param name="Calls">Allowed calls read.</param>
public sealed record Suggestions(DateTimeOffset Since, IReadOnlyList<SuggestedPermit> Permits, IReadOnlyList<string> UnusedGrants, long Calls);

/// <summary>
/// Least-privilege suggestions from the audit log: for each agent, permits covering exactly the actions and resources
/// its allowed calls used in the window (a resource type's ids listed when at most <c>maxListed</c> were used, else the
/// whole type), and the live permits that never determined an allow. The suggestions read only what decision records
/// hold — agent, action, resource, determining policies — so they narrow by action and resource, not by argument
/// values or context (records do not carry them yet).
/// </summary>
public static class PermitSuggester
{
    /// <summary>Reads the allowed decisions of the window from <paramref name="reader"/>.</summary>
    public static async Task<IReadOnlyList<AllowedCall>> ReadAsync(IAuditReader reader, DateTimeOffset since, CancellationToken ct)
    {
        var calls = new List<AllowedCall>();
        await foreach (var entry in reader.QueryAsync(new AuditQuery { Kind = AuditEvent.Kinds.Decision, Decision = "allow", Since = since }, ct))
        {
            var e = entry.Event;
            if (e.Agent is { } agent && e.Action is { } a && e.Resource is { } r
                && PolicyTestReader.ParseUid(a) is { } action && PolicyTestReader.ParseUid(r) is { } resource)
            {
                calls.Add(new AllowedCall(agent, action, resource, e.Policies));
            }
        }

        return calls;
    }

    /// <summary>The suggestions for <paramref name="calls"/> against the live permits <paramref name="livePermits"/>.</summary>
    public static Suggestions Suggest(IReadOnlyList<AllowedCall> calls, IReadOnlyList<string> livePermits, DateTimeOffset since, int maxListed)
    {
        var permits = calls
            .GroupBy(c => (c.Agent, c.Resource.Type))
            .OrderBy(g => g.Key.Agent, StringComparer.Ordinal).ThenBy(g => g.Key.Type, StringComparer.Ordinal)
            .Select(g =>
            {
                var resources = g.Select(c => c.Resource).Distinct().OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
                var allowedBy = g.SelectMany(c => c.Policies).GroupBy(p => p, StringComparer.Ordinal)
                    .OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => (long)p.Count(), StringComparer.Ordinal);
                return new SuggestedPermit(
                    g.Key.Agent,
                    g.Select(c => c.Action).Distinct().OrderBy(a => a.Id, StringComparer.Ordinal).ToArray(),
                    g.Key.Type,
                    resources.Length <= maxListed ? resources : null,
                    g.LongCount(),
                    allowedBy);
            })
            .ToArray();
        var used = calls.SelectMany(c => c.Policies).ToHashSet(StringComparer.Ordinal);
        return new Suggestions(since, permits, livePermits.Where(p => !used.Contains(p)).ToArray(), calls.Count);
    }

    /// <summary>The suggestions as Cedar text to review: one permit per agent and resource type, evidence in comments.</summary>
    public static string ToCedar(Suggestions s, string agentType)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"// Least-privilege suggestions from {s.Calls} allowed calls since {s.Since:yyyy-MM-dd HH:mm} UTC.\n");
        text.Append("// Each permit covers exactly what one agent used on one resource type; review before use. Forbids are not\n");
        text.Append("// suggested: keep the live set's forbids beside these permits.\n");
        if (s.UnusedGrants.Count > 0)
        {
            text.Append("//\n// Live permits that determined no allow in the window (candidates for removal):\n");
            foreach (var id in s.UnusedGrants) text.Append("//   ").Append(id).Append('\n');
        }

        var n = 0;
        foreach (var p in s.Permits)
        {
            n++;
            text.Append(CultureInfo.InvariantCulture, $"\n// {p.Agent} on {p.ResourceType}: {p.Calls} allowed call(s); allowed today by ")
                .AppendJoin(", ", p.AllowedBy.Select(a => $"{a.Key} ({a.Value})")).Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"@id(\"suggested-{Slug(p.Agent)}-{n}\")\n");
            text.Append("permit (\n  principal == ").Append(new EntityRef(agentType, p.Agent)).Append(",\n  ");
            text.Append(p.Actions.Count == 1 ? $"action == {p.Actions[0]}" : $"action in [{string.Join(", ", p.Actions)}]").Append(",\n  ");
            if (p.Resources is [var single])
            {
                text.Append("resource == ").Append(single).Append("\n);\n");
            }
            else
            {
                text.Append("resource is ").Append(p.ResourceType).Append('\n');
                text.Append(p.Resources is { } listed ? $") when {{ [{string.Join(", ", listed)}].contains(resource) }};\n" : ");\n");
            }
        }

        return text.ToString();
    }

    private static string Slug(string agent) =>
        new(agent.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
}
