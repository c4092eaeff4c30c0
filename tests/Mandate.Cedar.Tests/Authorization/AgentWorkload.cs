using System.Text;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Authorization;

/// <summary>
/// A small agent-shaped workload in Mandate's vocabulary (Agent, User, Tool, McpServer, Action
/// groups; context with session, delegation, args, risk) for allocation and index tests.
/// </summary>
internal static class AgentWorkload
{
    public static (Authorizer Authorizer, EntityStore Store, List<Request> Requests) Build(int policies)
    {
        var random = new Random(7);
        var entities = new List<Entity>();
        var servers = Enumerable.Range(0, 5).Select(i => new EntityUid("McpServer", $"s{i}")).ToArray();
        var tools = Enumerable.Range(0, 40).Select(i => new EntityUid("Tool", $"t{i}")).ToArray();
        var users = Enumerable.Range(0, 20).Select(i => new EntityUid("User", $"user{i}")).ToArray();
        var agents = Enumerable.Range(0, 20).Select(i => new EntityUid("Agent", $"agent{i}")).ToArray();
        var groups = new[] { "read", "write", "admin" }.Select(g => new EntityUid("Action", g)).ToArray();
        var actions = Enumerable.Range(0, 9).Select(i => new EntityUid("Action", $"call{i}")).ToArray();
        entities.AddRange(servers.Select(s => new Entity(s)));
        entities.AddRange(tools.Select((t, i) => new Entity(t,
            Value.Record([new("risk", Value.Long(i % 4)), new("labels", Value.Set(Value.String(i % 3 == 0 ? "pii" : "public"))), new("egress", Value.Bool(i % 5 == 0))]),
            [servers[i % servers.Length]])));
        entities.AddRange(users.Select(u => new Entity(u, Value.Record([new("department", Value.String("eng"))]))));
        entities.AddRange(agents.Select((a, i) => new Entity(a,
            Value.Record([new("owner", Value.Entity(users[i])), new("trust", Value.Long(i % 5)), new("labels", Value.Set(Value.String("prod")))]))));
        entities.AddRange(groups.Select(g => new Entity(g)));
        entities.AddRange(actions.Select((a, i) => new Entity(a, parents: [groups[i % groups.Length]])));
        var store = new EntityStore(entities);

        var text = new StringBuilder();
        for (var i = 0; i < policies; i++)
        {
            switch (i % 5)
            {
                case 0:
                    text.AppendLine($"permit(principal == {agents[i % agents.Length]}, action in {groups[i % 2]}, resource in {servers[i % servers.Length]}) when {{ context.risk.score < 50 && resource.risk <= principal.trust }};");
                    break;
                case 1:
                    text.AppendLine($"permit(principal is Agent, action == {actions[i % actions.Length]}, resource == {tools[i % tools.Length]}) when {{ context.session.allowed_tools.contains(resource) }};");
                    break;
                case 2:
                    text.AppendLine($"@reason(\"pii needs approval\") @step_up(\"approval\") forbid(principal, action in {groups[1]}, resource is Tool) when {{ resource.labels.contains(\"pii\") }} unless {{ context.approval.granted }};");
                    break;
                case 3:
                    text.AppendLine($"forbid(principal, action, resource in {servers[i % servers.Length]}) when {{ context.delegation.depth > 3 || context.risk.score >= 90 }};");
                    break;
                default:
                    text.AppendLine($"permit(principal, action in {groups[0]}, resource is Tool) when {{ principal.owner == context.delegation.user && context.session.intent like \"*report*\" }};");
                    break;
            }
        }
        var authorizer = new Authorizer(PolicyParser.ParsePolicySet(text.ToString()).GetValueOrThrow());

        var requests = new List<Request>();
        for (var i = 0; i < 64; i++)
        {
            var agent = random.Next(agents.Length);
            var context = Value.Record([
                new("session", Value.Record([
                    new("intent", Value.String(i % 2 == 0 ? "weekly report" : "cleanup")),
                    new("allowed_tools", Value.Set(tools.Take(10).Select(t => (Value)Value.Entity(t)))),
                ])),
                new("delegation", Value.Record([new("user", Value.Entity(users[agent])), new("depth", Value.Long(i % 5))])),
                new("risk", Value.Record([new("score", Value.Long(random.Next(100)))])),
                new("approval", Value.Record([new("granted", Value.Bool(i % 3 == 0))])),
            ]);
            requests.Add(new Request(agents[agent], actions[random.Next(actions.Length)], tools[random.Next(tools.Length)], context));
        }
        return (authorizer, store, requests);
    }
}
