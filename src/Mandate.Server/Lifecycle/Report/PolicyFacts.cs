using Mandate.Cedar.Ast;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;
using Mandate.Server.Configuration;
using Mandate.Server.Snapshots;
using CedarUid = Mandate.Cedar.Ast.EntityUid;

namespace Mandate.Server.Lifecycle.Report;

/// <summary>
/// What a report needs to know of the policy set: which forbids carry <c>@step_up</c> and whether one of them covers
/// a route or a tool, and which policies are session rules. Read from the policy files the configuration names,
/// parsed as the gateway parses them (ids from <c>@id</c>).
/// </summary>
public sealed class PolicyFacts
{
    // Context attributes only session rules read: the session's history, and the agent's recent rate.
    private static readonly HashSet<string> SessionAttributes = ["labels_seen", "writes", "calls", "tools_used", "agent_calls_last_minute"];
    private readonly IReadOnlyList<Policy> _stepUps;
    private readonly CedarSchema? _schema;

    private PolicyFacts(IReadOnlyList<Policy> policies, IReadOnlyList<string> sessionRules, CedarSchema? schema)
    {
        Policies = policies;
        _stepUps = policies.Where(p => p.Effect == Effect.Forbid && p.Annotation("step_up") is not null).ToArray();
        SessionRules = sessionRules;
        _schema = schema;
    }

    /// <summary>Every policy of the set.</summary>
    public IReadOnlyList<Policy> Policies { get; }

    /// <summary>Ids of policies whose conditions read the session's history, labels or rate.</summary>
    public IReadOnlyList<string> SessionRules { get; }

    /// <summary>Ids of the step-up forbids.</summary>
    public IEnumerable<string> StepUpIds => _stepUps.Select(p => p.Id);

    /// <summary>Reads the configuration's policies; problems instead when they cannot be read or parsed.</summary>
    public static (PolicyFacts? Facts, IReadOnlyList<string> Problems) Read(MandateConfig config)
    {
        var (sources, schemaSource, _, problems) = SnapshotBuilder.ReadSources(config.Policies.Directory, config.Policies.SchemaFile, null);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var parsed = PolicyParser.ParsePolicySet(sources.Select(s => (s.Path, s.Text)), PolicyIdMode.AnnotationOrPositional);
        if (!parsed.IsSuccess)
        {
            return (null, parsed.Diagnostics.Select(d => d.ToString()).ToArray());
        }

        var schema = schemaSource is null ? null : SchemaParser.Parse(schemaSource.Text, schemaSource.Path).Schema;
        var sessionRules = parsed.Value.Policies.Where(ReadsSessionHistory).Select(p => p.Id).ToArray();
        return (new PolicyFacts(parsed.Value.Policies, sessionRules, schema), []);
    }

    /// <summary>The step-up forbid that applies to every call of <paramref name="route"/>, if one does.</summary>
    public string? StepUpFor(RouteConfig route) =>
        _stepUps.FirstOrDefault(p => CoversAction(p.Action, new CedarUid(route.Action.Type, route.Action.Id)) && CoversRoute(p.Resource, route.Resource))?.Id;

    /// <summary>The step-up forbid that applies to every call of tool <paramref name="tool"/> of MCP server <paramref name="server"/>, if one does.</summary>
    public string? StepUpFor(string ns, string server, string tool)
    {
        var call = new CedarUid(Qualify("Action", ns), Core.Mcp.McpActions.ToolsCall);
        var toolUid = new CedarUid(Qualify("Tool", ns), $"{server}/{tool}");
        var serverUid = new CedarUid(Qualify("McpServer", ns), server);
        return _stepUps.FirstOrDefault(p => CoversAction(p.Action, call) && p.Resource switch
        {
            { Kind: ScopeKind.Any } => true,
            { Kind: ScopeKind.Equal, Entity: EntityRef.Literal l } => l.Uid.Equals(toolUid),
            { Kind: ScopeKind.In, Entity: EntityRef.Literal l } => l.Uid.Equals(toolUid) || l.Uid.Equals(serverUid),
            { Kind: ScopeKind.Is } r => r.EntityType == toolUid.Type,
            _ => false,
        })?.Id;
    }

    // `action in G` covers the action when the schema puts it in G; without a schema, only the action itself.
    private bool CoversAction(ActionConstraint scope, CedarUid action) => scope.Kind switch
    {
        ActionScopeKind.Any => true,
        _ => scope.Entities.Any(e => e.Equals(action) || (scope.Kind != ActionScopeKind.Equal && _schema?.ActionAncestors(action).Contains(e) == true)),
    };

    // Whether the scope holds for every resource the route can produce: a fixed id must be the route's fixed id.
    private static bool CoversRoute(ScopeConstraint scope, ResourceTemplate resource)
    {
        var fixedId = !resource.Id.ParameterNames.Any();
        bool Is(CedarUid uid) => uid.Type == resource.Type && fixedId && uid.Id == resource.Id.Text;
        bool IsParent(CedarUid uid) => resource.Parents.Any(p => p.Type == uid.Type && !p.Id.ParameterNames.Any() && p.Id.Text == uid.Id);
        return scope switch
        {
            { Kind: ScopeKind.Any } => true,
            { Kind: ScopeKind.Equal, Entity: EntityRef.Literal l } => Is(l.Uid),
            { Kind: ScopeKind.In, Entity: EntityRef.Literal l } => Is(l.Uid) || IsParent(l.Uid),
            { Kind: ScopeKind.Is } s => s.EntityType == resource.Type,
            { Kind: ScopeKind.IsIn, Entity: EntityRef.Literal l } s => s.EntityType == resource.Type && (Is(l.Uid) || IsParent(l.Uid)),
            _ => false,
        };
    }

    private static bool ReadsSessionHistory(Policy policy)
    {
        var stack = new Stack<Expr>(policy.Conditions.Select(c => c.Body));
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e is GetAttrExpr { Attribute: var a } && SessionAttributes.Contains(a))
            {
                return true;
            }

            foreach (var child in ExprTree.Children(e))
            {
                stack.Push(child);
            }
        }

        return false;
    }

    private static string Qualify(string name, string ns) => ns.Length == 0 ? name : $"{ns}::{name}";
}
